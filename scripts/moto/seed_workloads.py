#!/usr/bin/env python3
"""Seeds workloads into an organisation seed_org.py made, and writes what amigo must collect.

Run after seed_org.py (its --out file is --seeded here), with moto started with
MOTO_AMIS_PATH=workload_amis.json (seed_org's base images plus FOREIGN, a public image of an
account outside the organisation) and AMIGO_MOTO_PRELOAD=moto_fixes.py (moto's missing
DescribeParameters DataType filter). In every member account and region:

- instances launched from the member's own image (running), from another member's second image
  (stopped: that image no workload of its own account uses), from FOREIGN (running), from an image registered and deregistered after the launch
  (running), and one terminated (never a workload);
- launch template web-N: version 1 (the default) from the other member's image, version 2 from
  the member's own, version 3 (the latest) from FOREIGN;
- a launch configuration legacy-N (own image) and Auto Scaling groups using it (legacy-asg-N),
  the template's $Latest (web-asg-N) and its version 2 (pinned-asg-N), none with instances;
- SSM parameters /golden/N/web (aws:ec2:image, own image) and /app/N/name (text: no image).

The expected workloads are written from what was created here. Which referenced images the
member can see is asked of moto with boto3 (DescribeImages ImageIds=, one id at a time), never
from amigo's code: moto keeps images per account, so another member's image is "not found" in
moto even when it is shared (AWS would find it), and a deregistered one is not found either.

Also in every member account and region: an instance from COMMUNITY (a public image of a foreign
account with no owner alias) and an SSM parameter /community/N/web naming it, and two images of
one family (tag Family=web-N) registered a second apart, the older one launched by an instance.

It writes the findings policies/workloads.yml must give, by identity, when evaluated at `asOf`
(120 days after seeding, so every image is past the 90 days of ami-unused's grace and inside
the 365 of workload-image-current's max-days), from the policy file's rules applied here:
- workload-approved-image: a workload whose image no scanned account owns, Amazon does not own
  and no `approved=true` tag approves, or that EC2 no longer finds (then it cannot be verified);
- workload-image-current: an image EC2 no longer finds ("not found"), one whose state is not
  available ("state"), or one of a family (same owner, region and Family tag) with a newer
  available image for more than 30 days ("superseded");
- workload-image-allowed: every workload, since moto has no GetAllowedImagesSettings, so the
  region's Allowed AMIs criteria cannot be read (fail closed);
- ami-unused: every owned image no workload of any account references in its region.
A workload finding's discriminator is "<kind> <image id>", then the check's own part if any.
"""
import argparse
import datetime
import json
import time

from botocore.exceptions import ClientError

from seed_org import client

FOREIGN = "ami-0f0e0d0c0b0a09080"
COMMUNITY = "ami-0c1c2c3c4c5c6c7c8"
AS_OF_DAYS = 120


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--seeded", required=True, help="seed_org.py's --out")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    seeded = json.load(open(args.seeded))
    members, regions = seeded["members"], seeded["regions"]
    images_of = {}
    for image in seeded["images"]:
        images_of.setdefault((image["account"], image["region"]), []).append(image["imageId"])
    own_images = {key: ids[0] for key, ids in images_of.items()}

    sts = client("sts", args.endpoint, "us-east-1")
    credentials = {account: sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                            RoleSessionName="seed-workloads")["Credentials"] for account in members}

    def register(ec2, name, tags=None):
        image = ec2.register_image(Name=name, RootDeviceName="/dev/xvda",
                                   BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
        if tags:
            ec2.create_tags(Resources=[image], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
        return image

    # The older image of each family first, then (a second later, so creation dates differ) the rest.
    older = {(account, region): register(client("ec2", args.endpoint, region, credentials[account]),
                                         f"web-{index}-{region}-old", {"Family": f"web-{index}"})
             for index, account in enumerate(members) for region in regions}
    time.sleep(1.1)
    owned_extra = []  # (account, region, imageId) registered here and not deregistered
    workloads, referenced = [], []
    for index, account in enumerate(members):
        peer = members[(index + 1) % len(members)]
        creds = credentials[account]
        for region in regions:
            ec2 = client("ec2", args.endpoint, region, creds)
            own, theirs = own_images[(account, region)], own_images[(peer, region)]
            family_old = older[(account, region)]
            family_new = register(ec2, f"web-{index}-{region}-new", {"Family": f"web-{index}"})
            owned_extra += [(account, region, family_old), (account, region, family_new)]

            def expect(kind, resource, image, **extra):
                workloads.append(dict(account=account, region=region, kind=kind, resourceId=resource,
                                      imageId=image, **extra))

            def launch(image):
                return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]

            running = launch(own)
            expect("instance", running, own, state="running")
            their_second = images_of[(peer, region)][1]
            stopped = launch(their_second)
            ec2.stop_instances(InstanceIds=[stopped])
            expect("instance", stopped, their_second, state="stopped")
            public = launch(FOREIGN)
            expect("instance", public, FOREIGN, state="running")
            community = launch(COMMUNITY)
            expect("instance", community, COMMUNITY, state="running")
            on_family_old = launch(family_old)
            expect("instance", on_family_old, family_old, state="running")
            retired = register(ec2, f"retired-{index}-{region}")
            orphan = launch(retired)
            ec2.deregister_image(ImageId=retired)
            expect("instance", orphan, retired, state="running")
            ec2.terminate_instances(InstanceIds=[launch(own)])

            template = ec2.create_launch_template(LaunchTemplateName=f"web-{index}",
                                                  LaunchTemplateData={"ImageId": theirs})["LaunchTemplate"]["LaunchTemplateId"]
            for image in (own, FOREIGN):
                ec2.create_launch_template_version(LaunchTemplateId=template, LaunchTemplateData={"ImageId": image})
            expect("launch-template", f"{template}:1", theirs)
            expect("launch-template", f"{template}:3", FOREIGN)

            autoscaling = client("autoscaling", args.endpoint, region, creds)
            autoscaling.create_launch_configuration(LaunchConfigurationName=f"legacy-{index}", ImageId=own,
                                                    InstanceType="t3.micro")
            groups = [(f"legacy-asg-{index}", {"LaunchConfigurationName": f"legacy-{index}"}, own),
                      (f"web-asg-{index}", {"LaunchTemplate": {"LaunchTemplateName": f"web-{index}", "Version": "$Latest"}}, FOREIGN),
                      (f"pinned-asg-{index}", {"LaunchTemplate": {"LaunchTemplateId": template, "Version": "2"}}, own)]
            for name, source, image in groups:
                autoscaling.create_auto_scaling_group(AutoScalingGroupName=name, MinSize=0, MaxSize=1, DesiredCapacity=0,
                                                      AvailabilityZones=[f"{region}a"], **source)
                expect("auto-scaling-group", name, image)
            expect("launch-configuration", f"legacy-{index}", own)

            ssm = client("ssm", args.endpoint, region, creds)
            ssm.put_parameter(Name=f"/golden/{index}/web", Type="String", DataType="aws:ec2:image", Value=own)
            ssm.put_parameter(Name=f"/app/{index}/name", Type="String", Value=f"web-{index}")
            expect("ssm-parameter", f"/golden/{index}/web", own)
            ssm.put_parameter(Name=f"/community/{index}/web", Type="String", DataType="aws:ec2:image", Value=COMMUNITY)
            expect("ssm-parameter", f"/community/{index}/web", COMMUNITY)

            for image in sorted({theirs, their_second, FOREIGN, COMMUNITY, retired}):
                try:
                    described = [i for i in ec2.describe_images(ImageIds=[image])["Images"] if i["ImageId"] == image]
                except ClientError:
                    described = []
                referenced.append(dict(account=account, region=region, imageId=image, found=bool(described),
                                       described=described[0] if described else None))

    as_of = (datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
             + datetime.timedelta(days=AS_OF_DAYS))
    owned = {(i["region"], i["imageId"]): i["account"] for i in seeded["images"]}
    owned.update({(region, image): account for account, region, image in owned_extra})
    families = {(region, image): client("ec2", args.endpoint, region, credentials[account])
                .describe_images(ImageIds=[image])["Images"][0] for account, region, image in owned_extra}
    findings = expected_findings(workloads, referenced, owned, families,
                                 organization=set(members) | {seeded["management"]}, as_of=as_of)
    for reference in referenced:
        del reference["described"]
    with open(args.out, "w") as f:
        json.dump({"workloads": workloads, "referencedImages": referenced, "foreignImage": FOREIGN,
                   "communityImage": COMMUNITY, "asOf": as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "expectedFindings": findings}, f, indent=1, sort_keys=True)


def created(image):
    return datetime.datetime.fromisoformat(image["CreationDate"].replace("Z", "+00:00"))


def family_of(image):
    return {t["Key"]: t["Value"] for t in image.get("Tags", [])}.get("Family")


def expected_findings(workloads, referenced, owned, families, organization, as_of):
    """policies/workloads.yml's findings, by identity (see the module's docstring). `families`:
    the described family images, by (region, image id); the other owned images carry no Family."""
    seen = {(r["account"], r["region"], r["imageId"]): r["described"] for r in referenced}
    findings = []

    def add(policy, workload, own=None):
        discriminator = f"{workload['kind']} {workload['imageId']}" + (f" {own}" if own else "")
        findings.append(dict(policyId=policy, accountId=workload["account"], region=workload["region"],
                             resourceType="workload", resourceId=workload["resourceId"], discriminator=discriminator))

    def superseded(region, image):
        newer = [created(other) for (other_region, _), other in families.items()
                 if other_region == region and other["OwnerId"] == image["OwnerId"]
                 and family_of(other) == family_of(image) and created(other) > created(image)
                 and other.get("State") == "available"]
        return bool(newer) and (as_of - min(newer)).days > 30

    for workload in workloads:
        region, image_id = workload["region"], workload["imageId"]
        add("workload-image-allowed", workload)
        if (region, image_id) in owned:  # a scanned account owns it: the organisation approves it
            family = families.get((region, image_id))
            if family and superseded(region, family):
                add("workload-image-current", workload, "superseded")
            continue
        image = seen.get((workload["account"], region, image_id))
        if image is None:
            add("workload-approved-image", workload)  # cannot be verified
            add("workload-image-current", workload, "not found")
            continue
        tags = {t["Key"]: t["Value"] for t in image.get("Tags", [])}
        if not (image.get("OwnerId") in organization or image.get("ImageOwnerAlias") == "amazon"
                or tags.get("approved") == "true"):
            add("workload-approved-image", workload)
        if image.get("State") != "available":
            add("workload-image-current", workload, "state")

    used = {(w["region"], w["imageId"]) for w in workloads}
    for (region, image_id), account in sorted(owned.items()):
        if (region, image_id) not in used:
            findings.append(dict(policyId="ami-unused", accountId=account, region=region, resourceType="image",
                                 resourceId=image_id, discriminator=None))
    return findings


if __name__ == "__main__":
    main()
