"""S3: what moto loses between the provider's write and its read-back.

- PutBucketLogging: moto checks that the target bucket's policy lets the logging service write
  and crashes (HTTP 500, which the provider retries until its timeout) on a statement whose
  Principal is the string "*" (the TLS-only Deny statement every bucket of ours has). Such
  statements are now skipped by the check, as S3 does.
- GetBucketLogging: TargetObjectKeyFormat (partitioned log keys) was dropped; returned now.
- GetBucketLifecycleConfiguration: NoncurrentVersionExpiration.NewerNoncurrentVersions was
  dropped; the provider waits until the read-back equals what it wrote and times out after
  3 minutes. Kept and returned now.
- GetBucketEncryption: Rule.BlockedEncryptionTypes (SSE-C blocked) was dropped, so every plan
  wanted to rewrite the encryption rule. Returned now.
- CreateBucket: the tags in CreateBucketConfiguration.Tags (provider 6.x tags on create) were
  ignored, so S3 Control ListTagsForResource / GetBucketTagging came back empty and every plan
  wanted to add the tags. Stored now.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, Callable


def apply() -> None:
    _logging_policy_check()
    _lifecycle_newer_noncurrent_versions()
    _encryption_blocked_types()
    _logging_key_format()
    _create_bucket_tags()


def _augment(cls: type, method: str, add: Callable[[Any, dict[str, Any]], None]) -> None:
    """Wrap a moto response method: add(self, result_dict) edits the result before it is serialized."""
    original = getattr(cls, method)

    def wrapped(self):  # type: ignore[no-untyped-def]
        serialized = self.serialized

        def edit_then_serialize(action_result):  # type: ignore[no-untyped-def]
            add(self, action_result.result)
            return serialized(action_result)

        self.serialized = edit_then_serialize
        try:
            return original(self)
        finally:
            del self.serialized

    setattr(cls, method, wrapped)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _lifecycle_newer_noncurrent_versions() -> None:
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    original_set = FakeBucket.set_lifecycle

    def set_lifecycle(self, rules):  # type: ignore[no-untyped-def]
        original_set(self, rules)
        for given, kept in zip(rules, self.rules):
            nve = given.get("NoncurrentVersionExpiration") or {}
            kept.nve_newer_versions = nve.get("NewerNoncurrentVersions")

    FakeBucket.set_lifecycle = set_lifecycle

    def add(self, result):  # type: ignore[no-untyped-def]
        rules = self.backend.get_bucket_lifecycle(self.bucket_name) or []
        for rule, out in zip(rules, result.get("Rules", [])):
            newer = getattr(rule, "nve_newer_versions", None)
            if newer is not None and "NoncurrentVersionExpiration" in out:
                out["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"] = newer

    _augment(S3Response, "get_bucket_lifecycle", add)


def _encryption_blocked_types() -> None:
    from moto.s3.responses import S3Response

    def add(self, result):  # type: ignore[no-untyped-def]
        stored = self.backend.get_bucket_encryption(self.bucket_name) or {}
        blocked = (stored.get("Rule") or {}).get("BlockedEncryptionTypes")
        if blocked:
            types = _as_list((blocked or {}).get("EncryptionType"))
            result["ServerSideEncryptionConfiguration"]["Rules"][0]["BlockedEncryptionTypes"] = {"EncryptionType": types}

    _augment(S3Response, "get_bucket_encryption", add)


def _logging_key_format() -> None:
    from moto.s3.responses import S3Response

    def add(self, result):  # type: ignore[no-untyped-def]
        stored = self.backend.get_bucket_logging(self.bucket_name) or {}
        key_format = stored.get("TargetObjectKeyFormat")
        if key_format and "LoggingEnabled" in result:
            out: dict[str, Any] = {}
            if "PartitionedPrefix" in key_format:
                source = (key_format.get("PartitionedPrefix") or {}).get("PartitionDateSource")
                out["PartitionedPrefix"] = {"PartitionDateSource": source} if source else {}
            if "SimplePrefix" in key_format:
                out["SimplePrefix"] = {}
            result["LoggingEnabled"]["TargetObjectKeyFormat"] = out

    _augment(S3Response, "get_bucket_logging", add)


def _create_bucket_tags() -> None:
    import xmltodict
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_put

    def bucket_response_put(self, request, bucket_name, querystring):  # type: ignore[no-untyped-def]
        response = original(self, request, bucket_name, querystring)
        if not querystring and self.body:
            try:
                config = xmltodict.parse(self.body).get("CreateBucketConfiguration") or {}
            except Exception:  # noqa: BLE001 - not XML: nothing to add
                config = {}
            tags = _as_list((config.get("Tags") or {}).get("Tag"))
            if tags:
                self.backend.put_bucket_tagging(bucket_name, {t["Key"]: t.get("Value") or "" for t in tags})
        return response

    S3Response._bucket_response_put = bucket_response_put


def _logging_policy_check() -> None:
    from moto.s3.models import FakeBucket

    original = FakeBucket._log_permissions_enabled_policy

    def log_permissions_enabled_policy(target_bucket, target_prefix):  # type: ignore[no-untyped-def]
        policy = target_bucket.policy
        if policy:
            doc = json.loads(policy.decode() if isinstance(policy, bytes) else policy)
            statements = doc.get("Statement", [])
            if isinstance(statements, dict):
                statements = [statements]
            kept = [s for s in statements if isinstance(s.get("Principal"), dict)]
            target_bucket = SimpleNamespace(
                policy=json.dumps({**doc, "Statement": kept}).encode(),
                partition=target_bucket.partition,
                name=target_bucket.name,
            )
        return original(target_bucket, target_prefix)

    FakeBucket._log_permissions_enabled_policy = staticmethod(log_permissions_enabled_policy)
