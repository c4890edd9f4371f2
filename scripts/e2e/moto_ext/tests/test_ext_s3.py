"""S3 patches (s3_fixes.py, s3_policy.py) against moto_ext and stock moto."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

LOC = {"LocationConstraint": "ap-northeast-1"}


def tls_only_policy(bucket: str) -> str:
    """The shape every bucket of ours has (constructs/secure-bucket.ts): TLS-only Deny statements."""
    resources = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resources,
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "DenyOutdatedTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resources,
         "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}}},
    ]})


def ok(call) -> bool:
    try:
        call()
        return True
    except ClientError:
        return False


def test_object_requests_over_tls_pass_a_tls_only_policy(server):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="state", CreateBucketConfiguration=LOC)
    s3.put_bucket_policy(Bucket="state", Policy=tls_only_policy("state"))
    server.expect(ok(lambda: s3.put_object(Bucket="state", Key="k.tfstate", Body=b"{}")), "PutObject over TLS allowed")


def test_a_condition_that_holds_still_denies(ext):
    # The evaluation is real, not a dropped condition: Deny when the request IS over TLS.
    s3 = ext.client("s3")
    s3.create_bucket(Bucket="bkt1", CreateBucketConfiguration=LOC)
    s3.put_bucket_policy(Bucket="bkt1", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::bkt1/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}))
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket="bkt1", Key="k", Body=b"x")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_conditions_hold_semantics():
    from moto_ext.s3_policy import conditions_hold

    tls = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
    assert not conditions_hold({"Bool": {"aws:SecureTransport": "false"}}, tls)
    assert conditions_hold({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "false"})
    assert not conditions_hold({"NumericLessThan": {"s3:TlsVersion": "1.2"}}, tls)
    assert conditions_hold({"NumericLessThan": {"s3:TlsVersion": "1.2"}}, {"s3:TlsVersion": "1.1"})
    assert not conditions_hold({"StringEquals": {"aws:SourceAccount": "123456789012"}}, tls)  # unknown key: absent
    assert conditions_hold({"StringEqualsIfExists": {"aws:SourceAccount": "1"}}, tls)
    assert conditions_hold({"Null": {"aws:SourceAccount": "true"}}, tls)
    assert not conditions_hold({"Null": {"aws:SecureTransport": "true"}}, tls)


def logging_target(s3, name: str) -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration=LOC)
    policy = json.loads(tls_only_policy(name))
    policy["Statement"].append({"Sid": "S3ServerAccessLogs", "Effect": "Allow",
                                "Principal": {"Service": "logging.s3.amazonaws.com"},
                                "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{name}/*"})
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


def test_put_bucket_logging_with_a_string_principal_in_the_target_policy(server):
    s3 = server.client("s3")
    logging_target(s3, "logs")
    s3.create_bucket(Bucket="src", CreateBucketConfiguration=LOC)
    server.expect(ok(lambda: s3.put_bucket_logging(Bucket="src", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "logs", "TargetPrefix": "src/"}})), "PutBucketLogging accepted")


def test_logging_target_object_key_format_read_back(server):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="logs", CreateBucketConfiguration=LOC)
    s3.put_bucket_policy(Bucket="logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::logs/*"}]}))
    s3.create_bucket(Bucket="src", CreateBucketConfiguration=LOC)
    s3.put_bucket_logging(Bucket="src", BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": "logs", "TargetPrefix": "src/",
        "TargetObjectKeyFormat": {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}}})
    got = s3.get_bucket_logging(Bucket="src")["LoggingEnabled"]
    server.expect(got.get("TargetObjectKeyFormat") == {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}},
                  f"TargetObjectKeyFormat read back (got {got.get('TargetObjectKeyFormat')})")


def test_lifecycle_newer_noncurrent_versions_read_back(server):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="bkt1", CreateBucketConfiguration=LOC)
    s3.put_bucket_lifecycle_configuration(Bucket="bkt1", LifecycleConfiguration={"Rules": [{
        "ID": "noncurrent-versions", "Status": "Enabled", "Filter": {"Prefix": ""},
        "Expiration": {"ExpiredObjectDeleteMarker": True},
        "NoncurrentVersionExpiration": {"NewerNoncurrentVersions": 30, "NoncurrentDays": 90}}]})
    nve = s3.get_bucket_lifecycle_configuration(Bucket="bkt1")["Rules"][0]["NoncurrentVersionExpiration"]
    server.expect(nve == {"NewerNoncurrentVersions": 30, "NoncurrentDays": 90}, f"NoncurrentVersionExpiration read back (got {nve})")


def test_encryption_blocked_types_read_back(server):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="bkt1", CreateBucketConfiguration=LOC)
    s3.put_bucket_encryption(Bucket="bkt1", ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False,
        "BlockedEncryptionTypes": {"EncryptionType": ["SSE-C"]}}]})
    rule = s3.get_bucket_encryption(Bucket="bkt1")["ServerSideEncryptionConfiguration"]["Rules"][0]
    server.expect(rule.get("BlockedEncryptionTypes") == {"EncryptionType": ["SSE-C"]},
                  f"BlockedEncryptionTypes read back (got {rule.get('BlockedEncryptionTypes')})")


def test_tags_given_at_create_bucket(server):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="bkt1", CreateBucketConfiguration={**LOC, "Tags": [{"Key": "Project", "Value": "MarkMail"}]})
    try:
        tags = s3.get_bucket_tagging(Bucket="bkt1")["TagSet"]
    except ClientError:
        tags = []
    server.expect(tags == [{"Key": "Project", "Value": "MarkMail"}], f"CreateBucketConfiguration.Tags stored (got {tags})")


def test_s3_control_tags_through_the_account_host_proxy(ext):
    # S3 Control prefixes the host with the account id; the CONNECT proxy makes that name reachable.
    s3 = ext.client("s3")
    s3.create_bucket(Bucket="bkt1", CreateBucketConfiguration={**LOC, "Tags": [{"Key": "Layer", "Value": "alb"}]})
    s3control = ext.client("s3control", proxies={"https": ext.proxy})
    tags = s3control.list_tags_for_resource(AccountId="123456789012", ResourceArn="arn:aws:s3:::bkt1")["Tags"]
    assert tags == [{"Key": "Layer", "Value": "alb"}]
