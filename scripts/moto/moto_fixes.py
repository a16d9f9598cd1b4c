"""Run inside the moto server before it starts (MotoServer reads AMIGO_MOTO_PRELOAD).

moto 5.2.1 refuses the `DataType` key of `ssm:DescribeParameters` `ParameterFilters` (and
would fail every parameter on it), although botocore's model allows it
(`ParameterStringFilterKey`: `tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType`, valid for
DescribeParameters). amigo lists `aws:ec2:image` parameters with exactly that filter, so this
teaches moto the key; nothing else changes.
"""
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
