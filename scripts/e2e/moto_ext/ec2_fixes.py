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
- CreateNetworkAclEntry / ReplaceNetworkAclEntry: the ICMP type and code (IcmpTypeCode, "Icmp" on
  the wire) were dropped, because moto asked its parsed parameters for "Icmp.Code" where they are
  keyed by the member name; DescribeNetworkAcls then had no IcmpTypeCode, read as type/code 0, and
  every plan of the network stack wanted to rewrite the default ACL's rules (icmp -1/-1). Kept now.
- DescribeInstances SecurityGroups of an instance launched with a network interface spec (the
  provider sends one whenever associate_public_ip_address is set, as for the bastion): moto filled
  the instance's SecurityGroups only from SecurityGroupIds and left it empty, so the provider read
  vpc_security_group_ids = [] and every plan re-added the bastion's group. AWS reports the primary
  interface's groups; so does the emulator now.
- DeleteVpc: moto removed the VPC but kept its default network ACL (AWS deletes it with the VPC;
  aws_default_network_acl's destroy only forgets it), so every destroyed VPC left one ACL behind.
  The VPC's default ACLs go with it now; DeleteVpc still refuses a VPC with subnets (moto's own
  check runs first).
"""

from __future__ import annotations


def apply() -> None:
    _public_ip_flag()
    _rule_descriptions()
    _run_instances_ami_block_devices()
    _monitoring()
    _nacl_icmp()
    _instance_groups_from_primary_nic()
    _delete_vpc_default_acl()


def _delete_vpc_default_acl() -> None:
    from moto.ec2.models import EC2Backend

    original = EC2Backend.delete_vpc

    def delete_vpc(self, vpc_id: str):  # type: ignore[no-untyped-def]
        vpc = original(self, vpc_id)
        for acl_id, acl in list(self.network_acls.items()):
            if acl.vpc_id == vpc_id and acl.default:
                self.network_acls.pop(acl_id, None)
        return vpc

    EC2Backend.delete_vpc = delete_vpc


def _nacl_icmp() -> None:
    from moto.core.responses import EmptyResult
    from moto.ec2.responses.network_acls import NetworkACLs

    def entry_args(self):  # type: ignore[no-untyped-def]
        icmp = self._get_param("IcmpTypeCode") or {}
        ports = self._get_param("PortRange") or {}

        def number(value):  # type: ignore[no-untyped-def]
            return None if value is None else int(value)

        return {
            "network_acl_id": self._get_param("NetworkAclId"),
            "rule_number": self._get_param("RuleNumber"),
            "protocol": self._get_param("Protocol"),
            "rule_action": self._get_param("RuleAction"),
            "egress": self._get_param("Egress"),
            "cidr_block": self._get_param("CidrBlock"),
            "icmp_code": number(icmp.get("Code")),
            "icmp_type": number(icmp.get("Type")),
            "port_range_from": number(ports.get("From")),
            "port_range_to": number(ports.get("To")),
            "ipv6_cidr_block": self._get_param("Ipv6CidrBlock"),
        }

    def create(self):  # type: ignore[no-untyped-def]
        self.ec2_backend.create_network_acl_entry(**entry_args(self))
        return EmptyResult()

    def replace(self):  # type: ignore[no-untyped-def]
        self.ec2_backend.replace_network_acl_entry(**entry_args(self))
        return EmptyResult()

    NetworkACLs.create_network_acl_entry = create
    NetworkACLs.replace_network_acl_entry = replace


def _instance_groups_from_primary_nic() -> None:
    from moto.ec2.models.instances import Instance

    def get(self):  # type: ignore[no-untyped-def]
        own = self.__dict__.get("_moto_ext_security_groups") or []
        if own:
            return own
        primary = self.__dict__.get("nics", {}).get(0)
        return list(primary._group_set) if primary is not None else []

    def put(self, groups):  # type: ignore[no-untyped-def]
        self.__dict__["_moto_ext_security_groups"] = groups

    Instance.security_groups = property(get, put)


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
