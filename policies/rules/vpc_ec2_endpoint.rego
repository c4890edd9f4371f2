# METADATA
# title: MM-053 Every VPC has an interface endpoint for the EC2 API
# description: An aws_vpc has an aws_vpc_endpoint of type Interface for com.amazonaws.<region>.ec2 in the same stack (ec2messages is the SSM agent's channel, not the EC2 API).
# custom:
#   id: MM-053
#   controls: [EC2.10]
#   enforcement_level: advisory
#   reason: EC2 API calls from the private subnets otherwise leave through the NAT gateway; a hygiene control, not an exposure.
package markmail.rules.vpc_ec2_endpoint

import data.markmail.lib
import rego.v1

_ec2_endpoint(v) if {
	some e in lib.of_type("aws_vpc_endpoint")
	count(lib.ref_keys(e, "vpc_id") & lib.self_keys(v)) > 0
	regex.match(`^com\.amazonaws\.[a-z0-9-]+\.ec2$`, e.values.service_name)
	lower(object.get(e.values, "vpc_endpoint_type", "Gateway")) == "interface"
}

deny contains lib.msg("MM-053", v, "no interface endpoint for com.amazonaws.<region>.ec2 in this VPC", "Security Hub EC2.10") if {
	some v in lib.of_type("aws_vpc")
	not _ec2_endpoint(v)
}
