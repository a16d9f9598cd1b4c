"""Run inside the moto server before it starts (MotoServer reads AMIGO_MOTO_PRELOAD).

moto 5.2.1 refuses the `DataType` key of `ssm:DescribeParameters` `ParameterFilters` (and
would fail every parameter on it), although botocore's model allows it
(`ParameterStringFilterKey`: `tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType`, valid for
DescribeParameters). amigo lists `aws:ec2:image` parameters with exactly that filter, so this
teaches moto the key.

moto also gives every image of MOTO_AMIS_PATH the owner alias `amazon`, so it cannot hold a
community image (public, of a foreign account, no alias). An entry that says `"owner_alias": null`
keeps no alias here; the others are untouched.
"""
import json
import os

from moto.ec2.models import amis
from moto.ssm import models

_match_filters = models.SimpleSystemManagerBackend._match_filters
_validate_parameter_filters = models.SimpleSystemManagerBackend._validate_parameter_filters


def _validate_without_data_type(self, parameter_filters, by_path):
    others = [f for f in parameter_filters or [] if by_path or f["Key"] != "DataType"]
    return _validate_parameter_filters(self, others, by_path)


def _match_filters_with_data_type(self, parameter, filters=None):
    others = []
    for f in filters or []:
        if f["Key"] == "DataType":
            if f.get("Option", "Equals") != "Equals" or parameter.data_type not in f.get("Values", []):
                return False
        else:
            others.append(f)
    return _match_filters(self, parameter, others)


models.SimpleSystemManagerBackend._match_filters = _match_filters_with_data_type
models.SimpleSystemManagerBackend._validate_parameter_filters = _validate_without_data_type


_no_alias = {ami["ami_id"] for ami in json.load(open(os.environ["MOTO_AMIS_PATH"]))
             if "owner_alias" in ami and ami["owner_alias"] is None} if os.environ.get("MOTO_AMIS_PATH") else set()
_load_amis = amis.AmiBackend._load_amis


def _load_amis_keeping_no_alias(self):
    _load_amis(self)
    for ami_id in _no_alias & set(self.amis):
        self.amis[ami_id].owner_alias = None


amis.AmiBackend._load_amis = _load_amis_keeping_no_alias
