# METADATA
# title: MM-050 Aurora clusters span two availability zones
# description: An aws_rds_cluster has instances (aws_rds_cluster_instance of the same input) in at least two availability zones, or lists two or more availability_zones with two or more instances.
# custom:
#   id: MM-050
#   controls: [RDS.15, CKV_AWS_157]
#   enforcement_level: advisory
#   reason: Availability, not exposure; environments that run one instance say so in exceptions.rego.
package markmail.rules.rds_multi_az

import data.markmail.lib
import rego.v1

_instances(c) := {i |
	some i in lib.of_type("aws_rds_cluster_instance")
	count(lib.ref_keys(i, "cluster_identifier") & (lib.self_keys(c) | {sprintf("val:%s", [object.get(c.values, "cluster_identifier", "")])})) > 0
}

_zones(c) := {z | some i in _instances(c); z := i.values.availability_zone; is_string(z)}

deny contains lib.msg("MM-050", c, sprintf("%d instance(s) in %d availability zone(s): a failover needs two", [count(_instances(c)), count(_zones(c))]), "Security Hub RDS.15") if {
	some c in lib.of_type("aws_rds_cluster")
	not _multi_az(c)
}

_multi_az(c) if count(_zones(c)) >= 2

_multi_az(c) if {
	count(_instances(c)) >= 2
	count({i | some i in _instances(c); not is_string(i.values.availability_zone)}) > 0
}
