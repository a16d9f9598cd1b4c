#!/usr/bin/env python3
"""Seeds a moto server with an AWS Organization for amigo's live tests and benchmarks.

The management account is moto's default (123456789012), which also owns the images in
base_amis.json (start moto with MOTO_AMIS_PATH pointing at it: they appear in every region of
that account). Members are created through Organizations; each gets images registered through
its AssumeRole'd credentials, with a deterministic mix of tags and launch permissions.

Writes a JSON description of what was seeded, including, per image, the baseline policy ids it
must violate, so a test can compare amigo's findings with the truth. What moto cannot express
(encryption, creation dates, virtualization type of registered images) is known here too:
registered images are unencrypted, created "now", and their virtualization type is not reported.
(moto's MOTO_AMIS_PATH loader cannot take creation dates: it parses them in place once, and
the second account's backend then fails on the already-parsed value.)
"""
import argparse
import json
import sys

import boto3

EXTERNAL = "999999999999"
MANAGEMENT = "123456789012"


def client(service, endpoint, region, creds=None):
    kw = dict(endpoint_url=endpoint, region_name=region)
    if creds:
        kw.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds["SessionToken"])
    else:
        kw.update(aws_access_key_id="testing", aws_secret_access_key="testing")
    return boto3.client(service, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--members", type=int, default=2)
    ap.add_argument("--regions", default="us-east-1,eu-west-1")
    ap.add_argument("--images-per-region", type=int, default=7)
    ap.add_argument("--base-amis", default=None, help="the MOTO_AMIS_PATH file the server was started with")
    args = ap.parse_args()
    regions = args.regions.split(",")

    org = client("organizations", args.endpoint, "us-east-1")
    organization = org.create_organization(FeatureSet="ALL")["Organization"]
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]
    members = []
    for n in range(args.members):
        status = org.create_account(Email=f"member{n}@example.com", AccountName=f"member-{n}")["CreateAccountStatus"]
        members.append(status["AccountId"])
        org.move_account(AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=ou["Id"])

    sts = client("sts", args.endpoint, "us-east-1")
    images = []
    for index, account in enumerate(members):
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                RoleSessionName="seed")["Credentials"]
        peer = members[(index + 1) % len(members)] if len(members) > 1 else MANAGEMENT
        for region in regions:
            ec2 = client("ec2", args.endpoint, region, creds)
            for i in range(args.images_per_region):
                arch = ["x86_64", "arm64", "i386"][i % 3]
                image_id = ec2.register_image(
                    Name=f"app-{index}-{region}-{i}", Architecture=arch, RootDeviceName="/dev/xvda",
                    BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
                violations = {"ami-ebs-encrypted", "ami-hvm-only"}
                tags = [{"Key": "Owner", "Value": "platform@example.com"}, {"Key": "Environment", "Value": "prod"}]
                if i % 5 == 0:
                    tags = []
                    violations.add("ami-required-tags")
                elif i % 5 == 1:
                    tags[1]["Value"] = "production"
                    violations.add("ami-required-tags")
                if tags:
                    ec2.create_tags(Resources=[image_id], Tags=tags)
                share = i % 7
                grant = None
                if share == 0:
                    grant = {"Group": "all"}
                    violations.add("ami-not-public")
                elif share == 1:
                    grant = {"UserId": EXTERNAL}
                    violations.add("ami-shared-only-inside-org")
                elif share == 2:
                    grant = {"UserId": peer}
                elif share == 3:
                    grant = {"OrganizationArn": organization["Arn"]}
                elif share == 4:
                    grant = {"OrganizationalUnitArn": ou["Arn"]}
                if grant:
                    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [grant]})
                images.append({"account": account, "region": region, "imageId": image_id,
                               "violations": sorted(violations)})

    if args.base_amis:
        for ami in json.load(open(args.base_amis)):
            violations = {"ami-ebs-encrypted", "ami-required-tags"}
            if ami["virtualization_type"] != "hvm":
                violations.add("ami-hvm-only")
            for region in regions:
                images.append({"account": ami["owner_id"], "region": region, "imageId": ami["ami_id"],
                               "violations": sorted(violations)})

    seeded = {"organization": {"id": organization["Id"], "arn": organization["Arn"], "ou": ou["Arn"]},
              "management": MANAGEMENT, "members": members, "regions": regions, "images": images}
    with open(args.out, "w") as f:
        json.dump(seeded, f, indent=1, sort_keys=True)
    print(f"seeded {len(members)} members, {len(images)} images", file=sys.stderr)


if __name__ == "__main__":
    main()
