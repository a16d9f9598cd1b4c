#!/usr/bin/env python3
"""Seeds workloads into an organisation seed_org.py made, and writes what amigo must collect.

Run after seed_org.py (its --out file is --seeded here), with moto started with
MOTO_AMIS_PATH=workload_amis.json (seed_org's base images plus FOREIGN, a public image of an
account outside the organisation) and AMIGO_MOTO_PRELOAD=moto_fixes.py (moto's missing
DescribeParameters DataType filter). In every member account and region:

- instances launched from the member's own image (running), from another member's image
  (stopped), from FOREIGN (running), from an image registered and deregistered after the launch
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
"""
import argparse
import json

from botocore.exceptions import ClientError

from seed_org import client

FOREIGN = "ami-0f0e0d0c0b0a09080"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--seeded", required=True, help="seed_org.py's --out")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    seeded = json.load(open(args.seeded))
    members, regions = seeded["members"], seeded["regions"]
    own_images = {}
    for image in seeded["images"]:
        own_images.setdefault((image["account"], image["region"]), image["imageId"])

    sts = client("sts", args.endpoint, "us-east-1")
    workloads, referenced = [], []
    for index, account in enumerate(members):
        peer = members[(index + 1) % len(members)]
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                RoleSessionName="seed-workloads")["Credentials"]
        for region in regions:
            ec2 = client("ec2", args.endpoint, region, creds)
            own, theirs = own_images[(account, region)], own_images[(peer, region)]

            def expect(kind, resource, image, **extra):
                workloads.append(dict(account=account, region=region, kind=kind, resourceId=resource,
                                      imageId=image, **extra))

            def launch(image):
                return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]

            running = launch(own)
            expect("instance", running, own, state="running")
            stopped = launch(theirs)
            ec2.stop_instances(InstanceIds=[stopped])
            expect("instance", stopped, theirs, state="stopped")
            public = launch(FOREIGN)
            expect("instance", public, FOREIGN, state="running")
            retired = ec2.register_image(Name=f"retired-{index}-{region}", RootDeviceName="/dev/xvda",
                                         BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
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

            for image in sorted({theirs, FOREIGN, retired}):
                try:
                    found = any(i["ImageId"] == image for i in ec2.describe_images(ImageIds=[image])["Images"])
                except ClientError:
                    found = False
                referenced.append(dict(account=account, region=region, imageId=image, found=found))

    with open(args.out, "w") as f:
        json.dump({"workloads": workloads, "referencedImages": referenced, "foreignImage": FOREIGN}, f,
                  indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
