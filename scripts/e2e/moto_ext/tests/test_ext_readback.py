"""Read-back patches that made plans of a deployed environment non-empty (issue 12, drift):
EC2 network ACL ICMP entries and instance security groups, Lambda LoggingConfig, Secrets
Manager rotation rules, SES v2 configuration set options and email identity tags. Against
moto_ext and stock moto, like the other tests."""

from __future__ import annotations

import io
import json
import zipfile


def test_network_acl_icmp_type_code_read_back(server):
    ec2 = server.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.10.0.0/16")["Vpc"]["VpcId"]
    acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                             {"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=104, Protocol="1", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": -1, "Code": -1})
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=110, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 0, "To": 21})
    ec2.replace_network_acl_entry(NetworkAclId=acl, RuleNumber=104, Protocol="1", RuleAction="allow", Egress=False,
                                  CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": 8, "Code": -1})
    entries = {e["RuleNumber"]: e for e in ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]}
    assert entries[110]["PortRange"] == {"From": 0, "To": 21} and "IcmpTypeCode" not in entries[110]
    server.expect(entries[104].get("IcmpTypeCode") == {"Type": 8, "Code": -1},
                  f"ICMP type/code of a network ACL entry read back (got {entries[104].get('IcmpTypeCode')})")


def test_instance_security_groups_from_the_network_interface_spec(server):
    ec2 = server.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="bastion", Description="bastion", VpcId=vpc)["GroupId"]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", NetworkInterfaces=[
        {"DeviceIndex": 0, "SubnetId": subnet, "Groups": [sg], "AssociatePublicIpAddress": False}])["Instances"][0]["InstanceId"]
    got = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert [g["GroupId"] for g in got["NetworkInterfaces"][0]["Groups"]] == [sg]
    server.expect([g["GroupId"] for g in got["SecurityGroups"]] == [sg],
                  f"instance SecurityGroups are the primary interface's (got {got['SecurityGroups']})")
    # An instance launched with SecurityGroupIds keeps exactly those.
    other = ec2.create_security_group(GroupName="other", Description="other", VpcId=vpc)["GroupId"]
    iid2 = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet,
                             SecurityGroupIds=[other])["Instances"][0]["InstanceId"]
    got2 = ec2.describe_instances(InstanceIds=[iid2])["Reservations"][0]["Instances"][0]
    assert [g["GroupId"] for g in got2["SecurityGroups"]] == [other]


def _function(server, name: str, **extra):
    iam = server.client("iam")
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {}\n")
    lam = server.client("lambda")
    return lam, lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                                    Code={"ZipFile": code.getvalue()}, **extra)


def test_lambda_logging_config_read_back(server):
    lam, _ = _function(server, "markmail-dev-db-rotation",
                       LoggingConfig={"LogFormat": "Text", "LogGroup": "/aws/lambda/markmail-dev-db-rotation"})
    got = lam.get_function(FunctionName="markmail-dev-db-rotation")["Configuration"].get("LoggingConfig")
    server.expect(got == {"LogFormat": "Text", "LogGroup": "/aws/lambda/markmail-dev-db-rotation"},
                  f"LoggingConfig read back (got {got})")
    if server.ext:
        lam.update_function_configuration(FunctionName="markmail-dev-db-rotation", LoggingConfig={"LogFormat": "JSON"})
        got = lam.get_function_configuration(FunctionName="markmail-dev-db-rotation")["LoggingConfig"]
        assert got == {"LogFormat": "JSON", "LogGroup": "/aws/lambda/markmail-dev-db-rotation",
                       "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO"}


def test_lambda_logging_config_defaults(ext):
    lam, _ = _function(ext, "markmail-dev-secret-age")
    got = lam.get_function(FunctionName="markmail-dev-secret-age")["Configuration"]["LoggingConfig"]
    assert got == {"LogFormat": "Text", "LogGroup": "/aws/lambda/markmail-dev-secret-age"}


def test_secret_rotation_with_a_schedule_expression_read_back(server):
    lam, fn = _function(server, "markmail-dev-rotation")
    sm = server.client("secretsmanager")
    arn = sm.create_secret(Name="markmail-dev-db-secret", SecretString='{"password":"x"}')["ARN"]
    sm.rotate_secret(SecretId=arn, RotationLambdaARN=fn["FunctionArn"], RotateImmediately=False,
                     RotationRules={"ScheduleExpression": "rate(7 days)", "Duration": "4h"})
    got = sm.describe_secret(SecretId=arn)
    server.expect(got.get("RotationEnabled") is True and got.get("RotationLambdaARN") == fn["FunctionArn"]
                  and got.get("RotationRules") == {"ScheduleExpression": "rate(7 days)", "Duration": "4h"},
                  f"rotation read back (got {got.get('RotationEnabled')}, {got.get('RotationRules')})")
    if server.ext:
        sm.cancel_rotate_secret(SecretId=arn)
        assert sm.describe_secret(SecretId=arn).get("RotationEnabled") is False


def test_sesv2_configuration_set_leaves_out_unset_options(server):
    ses = server.client("sesv2")
    ses.create_configuration_set(ConfigurationSetName="markmail-dev", ReputationOptions={"ReputationMetricsEnabled": True},
                                 SendingOptions={"SendingEnabled": True},
                                 SuppressionOptions={"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    got = ses.get_configuration_set(ConfigurationSetName="markmail-dev")
    present = sorted(k for k in ("TrackingOptions", "DeliveryOptions", "VdmOptions") if k in got)
    server.expect(present == [], f"unset option blocks left out (got {present})")
    assert got["SuppressionOptions"]["SuppressedReasons"] == ["BOUNCE", "COMPLAINT"]
    if server.ext:
        ses.create_configuration_set(ConfigurationSetName="with-delivery", DeliveryOptions={"TlsPolicy": "REQUIRE"})
        assert ses.get_configuration_set(ConfigurationSetName="with-delivery")["DeliveryOptions"]["TlsPolicy"] == "REQUIRE"


def test_sesv2_email_identity_tags_under_the_identity_arn(server):
    ses = server.client("sesv2")
    ses.create_email_identity(EmailIdentity="dev.markmail.example.com", Tags=[{"Key": "Environment", "Value": "dev"}])
    arn = "arn:aws:ses:ap-northeast-1:123456789012:identity/dev.markmail.example.com"
    got = ses.list_tags_for_resource(ResourceArn=arn)["Tags"]
    server.expect(got == [{"Key": "Environment", "Value": "dev"}], f"identity tags at {arn} (got {got})")
    if server.ext:
        ses.delete_email_identity(EmailIdentity="dev.markmail.example.com")
        assert ses.list_tags_for_resource(ResourceArn=arn)["Tags"] == []


# --- teardown: what moto kept after a destroy that AWS does not keep ---------------------------
def test_codebuild_delete_project_by_arn(server):
    cb = server.client("codebuild")
    arn = cb.create_project(name="markmail-dev-backend-build", source={"type": "S3", "location": "bucket/src.zip"},
                            artifacts={"type": "NO_ARTIFACTS"}, serviceRole="arn:aws:iam::123456789012:role/build",
                            environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                                         "computeType": "BUILD_GENERAL1_SMALL"})["project"]["arn"]
    cb.delete_project(name=arn)
    left = cb.list_projects()["projects"]
    server.expect(left == [], f"DeleteProject by ARN removes the project (left {left})")


def test_delete_vpc_takes_its_default_network_acl(server):
    ec2 = server.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    assert ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]
    ec2.delete_vpc(VpcId=vpc)
    left = [a["NetworkAclId"] for a in ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]]
    server.expect(left == [], f"the VPC's default network ACL goes with it (left {left})")


def test_inventory_reports_lifecycle_states(ext):
    import ssl
    import urllib.request

    kms = ext.client("kms")
    key = kms.create_key(Description="markmail-dev: test")["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    sm = ext.client("secretsmanager")
    sm.create_secret(Name="markmail-dev-test", SecretString="x")
    sm.delete_secret(SecretId="markmail-dev-test", RecoveryWindowInDays=7)
    with urllib.request.urlopen(f"{ext.endpoint}/moto-ext/inventory",
                                context=ssl.create_default_context(cafile=ext.ca), timeout=30) as r:
        objects = json.loads(r.read())
    states = {(o["service"], o["key"]): o["state"] for o in objects}
    assert states[("kms", key)] == "PendingDeletion"
    assert states[("secretsmanager", "markmail-dev-test")] == "deleted"
