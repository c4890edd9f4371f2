"""EC2 read-back fixes.

- DescribeSecurityGroupRules: the Description of a rule that references another security group
  (or a prefix list) was dropped: moto only returned the description of CIDR rules, so every
  plan wanted to re-add the descriptions of the 8 group-to-group rules of the network stack.
  (The `123456789012/sg-...` form of referenced_security_group_id that a first try saw comes from
  the provider when it does not know the account id, i.e. with skip_requesting_account_id; the
  e2e lets the provider ask STS, as against AWS, so it reads plain sg- ids.)
- RunInstances: a block device mapping for one of the AMI's own devices (the root volume, given
  only to set encryption, KMS key and volume type, as aws_instance.root_block_device does) was
  refused with "MissingParameter: size or snapshotId"; AWS takes the snapshot and size from the
  AMI's mapping of that device. So does the emulator now.
- DescribeInstances / DescribeNetworkInterfaces of an interface without a public IP (the bastion
  in a private subnet): moto sent an empty Association element, which the provider reads as
  "has a public IP" (associate_public_ip_address = true), so every plan wanted to replace the
  instance. The element is left out when there is no public IP, as AWS does.
- MonitorInstances / UnmonitorInstances (aws_instance.monitoring = true, the bastion): moto raised
  NotImplementedError (HTTP 500, retried until the provider's timeout). They set the instance's
  detailed-monitoring state now, which DescribeInstances reports.
"""

from __future__ import annotations


def apply() -> None:
    _public_ip_flag()
    _rule_descriptions()
    _run_instances_ami_block_devices()
    _monitoring()


def _public_ip_flag() -> None:
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    original = NetworkInterface.association.fget

    def association(self):  # type: ignore[no-untyped-def]
        return original(self) if self.public_ip else None

    NetworkInterface.association = property(association)


def _monitoring() -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.responses.monitoring import Monitoring

    def set_state(self, state: str):  # type: ignore[no-untyped-def]
        self.error_on_dryrun()
        ids = self._get_param("InstanceIds", [])
        out = []
        for instance in self.ec2_backend.get_multi_instances_by_id(ids):
            instance.monitoring_state = state
            out.append({"InstanceId": instance.id, "Monitoring": {"State": state}})
        return ActionResult({"InstanceMonitorings": out})

    Monitoring.monitor_instances = lambda self: set_state(self, "enabled")
    Monitoring.unmonitor_instances = lambda self: set_state(self, "disabled")


def _run_instances_ami_block_devices() -> None:
    from moto.ec2.responses.instances import InstanceResponse

    original = InstanceResponse._parse_block_device_mapping

    def parse_block_device_mapping(self):  # type: ignore[no-untyped-def]
        mappings = self._get_param("BlockDeviceMappings", [])
        image_id = self._get_param("ImageId")
        if image_id and any(_needs_ami_defaults(m) for m in mappings):
            images = self.ec2_backend.describe_images(ami_ids=[image_id])
            ami_devices = {d["DeviceName"]: d["Ebs"] for d in images[0].block_device_mappings} if images else {}
            for m in mappings:
                from_ami = ami_devices.get(m.get("DeviceName"))
                if _needs_ami_defaults(m) and from_ami:
                    m["Ebs"].setdefault("SnapshotId", from_ami.get("SnapshotId"))
                    m["Ebs"].setdefault("VolumeSize", from_ami.get("VolumeSize"))
        return original(self)

    InstanceResponse._parse_block_device_mapping = parse_block_device_mapping


def _needs_ami_defaults(mapping: dict) -> bool:  # type: ignore[type-arg]
    ebs = mapping.get("Ebs")
    return isinstance(ebs, dict) and not ebs.get("VolumeSize") and not ebs.get("SnapshotId")


def _rule_descriptions() -> None:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def description(self):  # type: ignore[no-untyped-def]
        for source in (self.ip_range, self.source_group):
            if source and source.get("Description") is not None:
                return source.get("Description")
        return None

    SecurityGroupRule.description = property(description)
