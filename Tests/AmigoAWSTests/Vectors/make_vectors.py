#!/usr/bin/env python3
"""Signs a fixed set of requests with botocore's SigV4Auth at a fixed instant and writes
vectors.json beside this script; SigV4VectorTests checks amigo's signer byte for byte.
Run again (python3 make_vectors.py) after changing the cases."""
import datetime, json, os
from unittest import mock
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

INSTANT = datetime.datetime(2024, 1, 15, 12, 34, 56, tzinfo=datetime.timezone.utc)
KEYS = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
FORM = "application/x-www-form-urlencoded; charset=utf-8"

def query(action, version, params):
    pairs = [("Action", action), ("Version", version)] + params
    return pairs, percent_encode_sequence(pairs)

cases = []
def case(name, service, region, method, url, headers, body="", params=None, token=None):
    cases.append(dict(name=name, service=service, region=region, method=method, url=url,
                      headers=headers, body=body, params=params, token=token))

pairs, body = query("DescribeImages", "2016-11-15", [
    ("Owner.1", "self"),
    ("Filter.1.Name", "name"), ("Filter.1.Value.1", "golden image (v1.2)/*+&=~ü€"),
    ("Filter.2.Name", "tag:Owner"), ("Filter.2.Value.1", "team a@example.com; 100%"),
])
case("ec2-describe-images-escaped-form", "ec2", "us-east-1", "POST",
     "https://ec2.us-east-1.amazonaws.com/", {"Content-Type": FORM}, body, pairs)

pairs, body = query("AssumeRole", "2011-06-15", [
    ("RoleArn", "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"),
    ("RoleSessionName", "amigo-scan"), ("ExternalId", "ext/id=1+2"), ("DurationSeconds", "3600"),
])
case("sts-assume-role-with-session-token", "sts", "eu-west-1", "POST",
     "https://sts.eu-west-1.amazonaws.com/", {"Content-Type": FORM}, body, pairs,
     token="FwoGZXIvYXdzEJr//////////wEaDOnvTOKEN+/=")

case("organizations-json-list-accounts", "organizations", "us-east-1", "POST",
     "https://organizations.us-east-1.amazonaws.com/",
     {"Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSOrganizationsV20161128.ListAccounts"},
     json.dumps({"MaxResults": 20, "NextToken": "abc/+=def"}, separators=(",", ":"), sort_keys=True))

case("ec2-get-with-query-string", "ec2", "ap-southeast-2", "GET",
     "https://ec2.ap-southeast-2.amazonaws.com/?Version=2016-11-15&Action=DescribeRegions&AllRegions=true&Filter.1.Value.1=a%20b",
     {})

pairs, body = query("DescribeRegions", "2016-11-15", [])
case("ec2-non-default-port", "ec2", "us-east-1", "POST", "http://127.0.0.1:5123/",
     {"Content-Type": FORM}, body, pairs)

case("unsigned-and-whitespace-headers", "ec2", "us-west-2", "POST", "https://ec2.us-west-2.amazonaws.com:443/",
     {"Content-Type": FORM, "User-Agent": "amigo/1.0", "X-Amz-Meta-Note": "  two   spaces\tand tab  "},
     "Action=DescribeRegions&Version=2016-11-15", [("Action", "DescribeRegions"), ("Version", "2016-11-15")])

out = []
with mock.patch.object(botocore.auth, "get_current_datetime", return_value=INSTANT):
    for c in cases:
        request = AWSRequest(method=c["method"], url=c["url"], headers=dict(c["headers"]),
                             data=c["body"].encode())
        botocore.auth.SigV4Auth(Credentials(*KEYS, token=c["token"]), c["service"], c["region"]).add_auth(request)
        auth = request.headers["Authorization"]
        out.append(dict(
            name=c["name"], service=c["service"], region=c["region"], method=c["method"], url=c["url"],
            headers=c["headers"], body=c["body"], params=c["params"],
            accessKeyId=KEYS[0], secretAccessKey=KEYS[1], sessionToken=c["token"],
            date=int(INSTANT.timestamp()),
            expectedAuthorization=auth,
            expectedSignedHeaders=auth.split("SignedHeaders=")[1].split(",")[0],
            expectedAmzDate=request.headers["X-Amz-Date"]))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2, ensure_ascii=False)
    f.write("\n")
print("wrote", len(out), "vectors to", path)
