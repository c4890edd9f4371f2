# A real plan: `terraform show -json` of markmail-dev-network, planned with Terraform 1.11.4 and the
# AWS provider built by scripts/engine (6.x) against a local moto server (`plan -refresh=false`,
# fake credentials, backend removed), trimmed to the keys the policy set reads: resource_changes
# (address, mode, type, name, provider_name, actions, after, after_unknown), configuration
# (resource addresses and expressions) and the data sources in prior_state. Regenerate it the
# same way when the network layer changes shape; tests/real_plan_test.rego says what it proves.
package markmail.fixtures.real

network_dev := {
	"format_version": "1.2",
	"terraform_version": "1.11.4",
	"resource_changes": [
		{
			"address": "data.aws_iam_policy_document.flow-log_write_59B75B00",
			"mode": "data",
			"type": "aws_iam_policy_document",
			"name": "flow-log_write_59B75B00",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"read",
				],
				"after": {
					"override_json": null,
					"override_policy_documents": null,
					"policy_id": null,
					"source_json": null,
					"source_policy_documents": null,
					"statement": [
						{
							"actions": [
								"logs:CreateLogStream",
								"logs:DescribeLogStreams",
								"logs:PutLogEvents",
							],
							"condition": [],
							"effect": "Allow",
							"not_actions": null,
							"not_principals": [],
							"not_resources": null,
							"principals": [],
							"resources": [
								null,
							],
							"sid": null,
						},
						{
							"actions": [
								"logs:DescribeLogGroups",
							],
							"condition": [],
							"effect": "Allow",
							"not_actions": null,
							"not_principals": [],
							"not_resources": null,
							"principals": [],
							"resources": [
								"arn:aws:logs:ap-northeast-1:123456789012:log-group:*",
							],
							"sid": null,
						},
					],
					"version": null,
				},
				"after_unknown": {
					"id": true,
					"json": true,
					"minified_json": true,
					"statement": [
						{
							"actions": [
								false,
								false,
								false,
							],
							"condition": [],
							"not_principals": [],
							"principals": [],
							"resources": [
								true,
							],
						},
						{
							"actions": [
								false,
							],
							"condition": [],
							"not_principals": [],
							"principals": [],
							"resources": [
								false,
							],
						},
					],
				},
			},
		},
		{
			"address": "aws_cloudwatch_log_group.flow-log_logs_6DDC7807",
			"mode": "managed",
			"type": "aws_cloudwatch_log_group",
			"name": "flow-log_logs_6DDC7807",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"name": "/vpc/markmail-dev/flow-logs",
					"region": "ap-northeast-1",
					"retention_in_days": 30,
					"skip_destroy": false,
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"deletion_protection_enabled": true,
					"id": true,
					"kms_key_id": true,
					"log_group_class": true,
					"name_prefix": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_db_subnet_group.db-subnets",
			"mode": "managed",
			"type": "aws_db_subnet_group",
			"name": "db-subnets",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "Isolated subnets of markmail-dev for Aurora",
					"name": "markmail-dev-db",
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"name_prefix": true,
					"subnet_ids": true,
					"supported_network_types": true,
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_default_network_acl.vpc_default-nacl_F44BD1D2",
			"mode": "managed",
			"type": "aws_default_network_acl",
			"name": "vpc_default-nacl_F44BD1D2",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"egress": [
						{
							"action": "allow",
							"cidr_block": "0.0.0.0/0",
							"from_port": 0,
							"icmp_code": null,
							"icmp_type": null,
							"ipv6_cidr_block": "",
							"protocol": "-1",
							"rule_no": 100,
							"to_port": 0,
						},
					],
					"ingress": [
						{
							"action": "allow",
							"cidr_block": "0.0.0.0/0",
							"from_port": 0,
							"icmp_code": null,
							"icmp_type": null,
							"ipv6_cidr_block": "",
							"protocol": "-1",
							"rule_no": 100,
							"to_port": 0,
						},
					],
					"region": "ap-northeast-1",
					"subnet_ids": null,
					"tags": {
						"Name": "markmail-dev-default-nacl",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-default-nacl",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"default_network_acl_id": true,
					"egress": [
						{},
					],
					"id": true,
					"ingress": [
						{},
					],
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_default_route_table.vpc_default-rt_36F58768",
			"mode": "managed",
			"type": "aws_default_route_table",
			"name": "vpc_default-rt_36F58768",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"propagating_vgws": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-default-unused",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-default-unused",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"default_route_table_id": true,
					"id": true,
					"owner_id": true,
					"route": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_default_security_group.vpc_default-sg_883082C2",
			"mode": "managed",
			"type": "aws_default_security_group",
			"name": "vpc_default-sg_883082C2",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"region": "ap-northeast-1",
					"revoke_rules_on_delete": false,
					"tags": {
						"Name": "markmail-dev-default-locked",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-default-locked",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"description": true,
					"egress": true,
					"id": true,
					"ingress": true,
					"name": true,
					"name_prefix": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_eip.vpc_nat-eip-0_55F1DB30",
			"mode": "managed",
			"type": "aws_eip",
			"name": "vpc_nat-eip-0_55F1DB30",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"address": null,
					"associate_with_private_ip": null,
					"customer_owned_ipv4_pool": null,
					"domain": "vpc",
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-nat-a",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-nat-a",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"allocation_id": true,
					"arn": true,
					"association_id": true,
					"carrier_ip": true,
					"customer_owned_ip": true,
					"id": true,
					"instance": true,
					"ipam_pool_id": true,
					"network_border_group": true,
					"network_interface": true,
					"private_dns": true,
					"private_ip": true,
					"ptr_record": true,
					"public_dns": true,
					"public_ip": true,
					"public_ipv4_pool": true,
					"tags": {},
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_elasticache_subnet_group.cache-subnets",
			"mode": "managed",
			"type": "aws_elasticache_subnet_group",
			"name": "cache-subnets",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "Isolated subnets of markmail-dev for ElastiCache",
					"name": "markmail-dev-cache",
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"subnet_ids": true,
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_flow_log.flow-log_40A245C3",
			"mode": "managed",
			"type": "aws_flow_log",
			"name": "flow-log_40A245C3",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"deliver_cross_account_role": null,
					"destination_options": [],
					"eni_id": null,
					"log_destination_type": "cloud-watch-logs",
					"max_aggregation_interval": 60,
					"region": "ap-northeast-1",
					"regional_nat_gateway_id": null,
					"subnet_id": null,
					"tags": {
						"Name": "markmail-dev-flow-logs",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-flow-logs",
						"Project": "MarkMail",
					},
					"traffic_type": "ALL",
					"transit_gateway_attachment_id": null,
					"transit_gateway_id": null,
				},
				"after_unknown": {
					"arn": true,
					"destination_options": [],
					"iam_role_arn": true,
					"id": true,
					"log_destination": true,
					"log_format": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_iam_role.flow-log_role_51EC8A76",
			"mode": "managed",
			"type": "aws_iam_role",
			"name": "flow-log_role_51EC8A76",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assume_role_policy": "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}},\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}",
					"description": "Delivers VPC flow logs of markmail-dev to CloudWatch Logs",
					"force_detach_policies": false,
					"max_session_duration": 3600,
					"name": "markmail-dev-flow-logs",
					"path": "/",
					"permissions_boundary": null,
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"create_date": true,
					"id": true,
					"inline_policy": true,
					"managed_policy_arns": true,
					"name_prefix": true,
					"tags_all": {},
					"unique_id": true,
				},
			},
		},
		{
			"address": "aws_iam_role_policy.flow-log_policy_1AAF8C73",
			"mode": "managed",
			"type": "aws_iam_role_policy",
			"name": "flow-log_policy_1AAF8C73",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"name": "WriteFlowLogs",
				},
				"after_unknown": {
					"id": true,
					"name_prefix": true,
					"policy": true,
					"role": true,
				},
			},
		},
		{
			"address": "aws_internet_gateway.vpc_igw_E5E304CC",
			"mode": "managed",
			"type": "aws_internet_gateway",
			"name": "vpc_igw_E5E304CC",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-igw",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-igw",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_kms_alias.key_alias_9418169B",
			"mode": "managed",
			"type": "aws_kms_alias",
			"name": "key_alias_9418169B",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"name": "alias/markmail-dev-network",
					"region": "ap-northeast-1",
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"name_prefix": true,
					"target_key_arn": true,
					"target_key_id": true,
				},
			},
		},
		{
			"address": "aws_kms_key.key_F64E54E4",
			"mode": "managed",
			"type": "aws_kms_key",
			"name": "key_F64E54E4",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"bypass_policy_lockout_safety_check": false,
					"custom_key_store_id": null,
					"customer_master_key_spec": "SYMMETRIC_DEFAULT",
					"deletion_window_in_days": 7,
					"description": "markmail-dev: VPC flow logs",
					"enable_key_rotation": true,
					"is_enabled": true,
					"key_usage": "ENCRYPT_DECRYPT",
					"policy": "{\"Statement\":[{\"Action\":\"kms:*\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Resource\":\"*\",\"Sid\":\"AccountAdministersKey\"},{\"Action\":[\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:Encrypt*\",\"kms:Describe*\",\"kms:Decrypt*\"],\"Condition\":{\"ArnLike\":{\"kms:EncryptionContext:aws:logs:arn\":\"arn:aws:logs:ap-northeast-1:123456789012:log-group:*\"}},\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logs.ap-northeast-1.amazonaws.com\"},\"Resource\":\"*\",\"Sid\":\"CloudWatchLogsUseKey\"}],\"Version\":\"2012-10-17\"}",
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"timeouts": null,
					"xks_key_id": null,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"key_id": true,
					"multi_region": true,
					"rotation_period_in_days": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_nat_gateway.vpc_nat-0_475420CF",
			"mode": "managed",
			"type": "aws_nat_gateway",
			"name": "vpc_nat-0_475420CF",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"availability_zone_address": [],
					"connectivity_type": "public",
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-nat-a",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-nat-a",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"allocation_id": true,
					"association_id": true,
					"auto_provision_zones": true,
					"auto_scaling_ips": true,
					"availability_mode": true,
					"availability_zone_address": [],
					"id": true,
					"network_interface_id": true,
					"private_ip": true,
					"public_ip": true,
					"regional_nat_gateway_address": true,
					"regional_nat_gateway_auto_mode": true,
					"route_table_id": true,
					"secondary_allocation_ids": true,
					"secondary_private_ip_address_count": true,
					"secondary_private_ip_addresses": true,
					"subnet_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_route.vpc_private-default-0_2E7B12E6",
			"mode": "managed",
			"type": "aws_route",
			"name": "vpc_private-default-0_2E7B12E6",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"carrier_gateway_id": null,
					"core_network_arn": null,
					"destination_cidr_block": "0.0.0.0/0",
					"destination_ipv6_cidr_block": null,
					"destination_prefix_list_id": null,
					"egress_only_gateway_id": null,
					"gateway_id": null,
					"local_gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
					"transit_gateway_id": null,
					"vpc_endpoint_id": null,
					"vpc_peering_connection_id": null,
				},
				"after_unknown": {
					"id": true,
					"instance_id": true,
					"instance_owner_id": true,
					"nat_gateway_id": true,
					"network_interface_id": true,
					"origin": true,
					"route_table_id": true,
					"state": true,
				},
			},
		},
		{
			"address": "aws_route.vpc_private-default-1_BD42DCEF",
			"mode": "managed",
			"type": "aws_route",
			"name": "vpc_private-default-1_BD42DCEF",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"carrier_gateway_id": null,
					"core_network_arn": null,
					"destination_cidr_block": "0.0.0.0/0",
					"destination_ipv6_cidr_block": null,
					"destination_prefix_list_id": null,
					"egress_only_gateway_id": null,
					"gateway_id": null,
					"local_gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
					"transit_gateway_id": null,
					"vpc_endpoint_id": null,
					"vpc_peering_connection_id": null,
				},
				"after_unknown": {
					"id": true,
					"instance_id": true,
					"instance_owner_id": true,
					"nat_gateway_id": true,
					"network_interface_id": true,
					"origin": true,
					"route_table_id": true,
					"state": true,
				},
			},
		},
		{
			"address": "aws_route.vpc_public-default_404993E7",
			"mode": "managed",
			"type": "aws_route",
			"name": "vpc_public-default_404993E7",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"carrier_gateway_id": null,
					"core_network_arn": null,
					"destination_cidr_block": "0.0.0.0/0",
					"destination_ipv6_cidr_block": null,
					"destination_prefix_list_id": null,
					"egress_only_gateway_id": null,
					"local_gateway_id": null,
					"nat_gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
					"transit_gateway_id": null,
					"vpc_endpoint_id": null,
					"vpc_peering_connection_id": null,
				},
				"after_unknown": {
					"gateway_id": true,
					"id": true,
					"instance_id": true,
					"instance_owner_id": true,
					"network_interface_id": true,
					"origin": true,
					"route_table_id": true,
					"state": true,
				},
			},
		},
		{
			"address": "aws_route_table.vpc_isolated-rt_C1A7A579",
			"mode": "managed",
			"type": "aws_route_table",
			"name": "vpc_isolated-rt_C1A7A579",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-isolated",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-isolated",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"owner_id": true,
					"propagating_vgws": true,
					"route": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_route_table.vpc_private-rt-0_DCD93519",
			"mode": "managed",
			"type": "aws_route_table",
			"name": "vpc_private-rt-0_DCD93519",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-private-a",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-private-a",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"owner_id": true,
					"propagating_vgws": true,
					"route": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_route_table.vpc_private-rt-1_C55E6528",
			"mode": "managed",
			"type": "aws_route_table",
			"name": "vpc_private-rt-1_C55E6528",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-private-c",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-private-c",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"owner_id": true,
					"propagating_vgws": true,
					"route": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_route_table.vpc_public-rt_2E2B0697",
			"mode": "managed",
			"type": "aws_route_table",
			"name": "vpc_public-rt_2E2B0697",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-public",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-public",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"owner_id": true,
					"propagating_vgws": true,
					"route": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_route_table_association.vpc_isolated-assoc-0_8E588AFE",
			"mode": "managed",
			"type": "aws_route_table_association",
			"name": "vpc_isolated-assoc-0_8E588AFE",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
				},
				"after_unknown": {
					"id": true,
					"route_table_id": true,
					"subnet_id": true,
				},
			},
		},
		{
			"address": "aws_route_table_association.vpc_isolated-assoc-1_D4B2A23D",
			"mode": "managed",
			"type": "aws_route_table_association",
			"name": "vpc_isolated-assoc-1_D4B2A23D",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
				},
				"after_unknown": {
					"id": true,
					"route_table_id": true,
					"subnet_id": true,
				},
			},
		},
		{
			"address": "aws_route_table_association.vpc_private-assoc-0_F64B438C",
			"mode": "managed",
			"type": "aws_route_table_association",
			"name": "vpc_private-assoc-0_F64B438C",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
				},
				"after_unknown": {
					"id": true,
					"route_table_id": true,
					"subnet_id": true,
				},
			},
		},
		{
			"address": "aws_route_table_association.vpc_private-assoc-1_8B045F29",
			"mode": "managed",
			"type": "aws_route_table_association",
			"name": "vpc_private-assoc-1_8B045F29",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
				},
				"after_unknown": {
					"id": true,
					"route_table_id": true,
					"subnet_id": true,
				},
			},
		},
		{
			"address": "aws_route_table_association.vpc_public-assoc-0_07625545",
			"mode": "managed",
			"type": "aws_route_table_association",
			"name": "vpc_public-assoc-0_07625545",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
				},
				"after_unknown": {
					"id": true,
					"route_table_id": true,
					"subnet_id": true,
				},
			},
		},
		{
			"address": "aws_route_table_association.vpc_public-assoc-1_02793C1B",
			"mode": "managed",
			"type": "aws_route_table_association",
			"name": "vpc_public-assoc-1_02793C1B",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"gateway_id": null,
					"region": "ap-northeast-1",
					"timeouts": null,
				},
				"after_unknown": {
					"id": true,
					"route_table_id": true,
					"subnet_id": true,
				},
			},
		},
		{
			"address": "aws_security_group.sg_alb_D8A77A90",
			"mode": "managed",
			"type": "aws_security_group",
			"name": "sg_alb_D8A77A90",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "Application Load Balancer: HTTP/HTTPS from the internet",
					"name": "markmail-dev-alb",
					"region": "ap-northeast-1",
					"revoke_rules_on_delete": false,
					"tags": {
						"Name": "markmail-dev-alb",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-alb",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"egress": true,
					"id": true,
					"ingress": true,
					"name_prefix": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_security_group.sg_bastion_28CCDF78",
			"mode": "managed",
			"type": "aws_security_group",
			"name": "sg_bastion_28CCDF78",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "SSM bastion: no inbound at all",
					"name": "markmail-dev-bastion",
					"region": "ap-northeast-1",
					"revoke_rules_on_delete": false,
					"tags": {
						"Name": "markmail-dev-bastion",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-bastion",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"egress": true,
					"id": true,
					"ingress": true,
					"name_prefix": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_security_group.sg_cache_DEC4149D",
			"mode": "managed",
			"type": "aws_security_group",
			"name": "sg_cache_DEC4149D",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "ElastiCache Redis: from ECS tasks only",
					"name": "markmail-dev-cache",
					"region": "ap-northeast-1",
					"revoke_rules_on_delete": false,
					"tags": {
						"Name": "markmail-dev-cache",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-cache",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"egress": true,
					"id": true,
					"ingress": true,
					"name_prefix": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_security_group.sg_database_17893BAA",
			"mode": "managed",
			"type": "aws_security_group",
			"name": "sg_database_17893BAA",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "Aurora PostgreSQL: from ECS tasks and the bastion only",
					"name": "markmail-dev-database",
					"region": "ap-northeast-1",
					"revoke_rules_on_delete": false,
					"tags": {
						"Name": "markmail-dev-database",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-database",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"egress": true,
					"id": true,
					"ingress": true,
					"name_prefix": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_security_group.sg_ecs_F2D31EE6",
			"mode": "managed",
			"type": "aws_security_group",
			"name": "sg_ecs_F2D31EE6",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"description": "ECS tasks: container port from the ALB only",
					"name": "markmail-dev-ecs",
					"region": "ap-northeast-1",
					"revoke_rules_on_delete": false,
					"tags": {
						"Name": "markmail-dev-ecs",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-ecs",
						"Project": "MarkMail",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"egress": true,
					"id": true,
					"ingress": true,
					"name_prefix": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_subnet.vpc_isolated-0_AA05632D",
			"mode": "managed",
			"type": "aws_subnet",
			"name": "vpc_isolated-0_AA05632D",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_ipv6_address_on_creation": false,
					"availability_zone": "ap-northeast-1a",
					"cidr_block": "10.10.8.0/24",
					"customer_owned_ipv4_pool": null,
					"enable_dns64": false,
					"enable_lni_at_device_index": null,
					"enable_resource_name_dns_a_record_on_launch": false,
					"enable_resource_name_dns_aaaa_record_on_launch": false,
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_native": false,
					"ipv6_netmask_length": null,
					"map_customer_owned_ip_on_launch": null,
					"map_public_ip_on_launch": false,
					"outpost_arn": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-isolated-a",
						"Tier": "isolated",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-isolated-a",
						"Project": "MarkMail",
						"Tier": "isolated",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"availability_zone_id": true,
					"id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_association_id": true,
					"owner_id": true,
					"private_dns_hostname_type_on_launch": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_subnet.vpc_isolated-1_C11C78DC",
			"mode": "managed",
			"type": "aws_subnet",
			"name": "vpc_isolated-1_C11C78DC",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_ipv6_address_on_creation": false,
					"availability_zone": "ap-northeast-1c",
					"cidr_block": "10.10.9.0/24",
					"customer_owned_ipv4_pool": null,
					"enable_dns64": false,
					"enable_lni_at_device_index": null,
					"enable_resource_name_dns_a_record_on_launch": false,
					"enable_resource_name_dns_aaaa_record_on_launch": false,
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_native": false,
					"ipv6_netmask_length": null,
					"map_customer_owned_ip_on_launch": null,
					"map_public_ip_on_launch": false,
					"outpost_arn": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-isolated-c",
						"Tier": "isolated",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-isolated-c",
						"Project": "MarkMail",
						"Tier": "isolated",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"availability_zone_id": true,
					"id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_association_id": true,
					"owner_id": true,
					"private_dns_hostname_type_on_launch": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_subnet.vpc_private-0_BC0C0085",
			"mode": "managed",
			"type": "aws_subnet",
			"name": "vpc_private-0_BC0C0085",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_ipv6_address_on_creation": false,
					"availability_zone": "ap-northeast-1a",
					"cidr_block": "10.10.16.0/20",
					"customer_owned_ipv4_pool": null,
					"enable_dns64": false,
					"enable_lni_at_device_index": null,
					"enable_resource_name_dns_a_record_on_launch": false,
					"enable_resource_name_dns_aaaa_record_on_launch": false,
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_native": false,
					"ipv6_netmask_length": null,
					"map_customer_owned_ip_on_launch": null,
					"map_public_ip_on_launch": false,
					"outpost_arn": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-private-a",
						"Tier": "private",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-private-a",
						"Project": "MarkMail",
						"Tier": "private",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"availability_zone_id": true,
					"id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_association_id": true,
					"owner_id": true,
					"private_dns_hostname_type_on_launch": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_subnet.vpc_private-1_94F31C2E",
			"mode": "managed",
			"type": "aws_subnet",
			"name": "vpc_private-1_94F31C2E",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_ipv6_address_on_creation": false,
					"availability_zone": "ap-northeast-1c",
					"cidr_block": "10.10.32.0/20",
					"customer_owned_ipv4_pool": null,
					"enable_dns64": false,
					"enable_lni_at_device_index": null,
					"enable_resource_name_dns_a_record_on_launch": false,
					"enable_resource_name_dns_aaaa_record_on_launch": false,
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_native": false,
					"ipv6_netmask_length": null,
					"map_customer_owned_ip_on_launch": null,
					"map_public_ip_on_launch": false,
					"outpost_arn": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-private-c",
						"Tier": "private",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-private-c",
						"Project": "MarkMail",
						"Tier": "private",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"availability_zone_id": true,
					"id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_association_id": true,
					"owner_id": true,
					"private_dns_hostname_type_on_launch": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_subnet.vpc_public-0_B01643AC",
			"mode": "managed",
			"type": "aws_subnet",
			"name": "vpc_public-0_B01643AC",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_ipv6_address_on_creation": false,
					"availability_zone": "ap-northeast-1a",
					"cidr_block": "10.10.0.0/24",
					"customer_owned_ipv4_pool": null,
					"enable_dns64": false,
					"enable_lni_at_device_index": null,
					"enable_resource_name_dns_a_record_on_launch": false,
					"enable_resource_name_dns_aaaa_record_on_launch": false,
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_native": false,
					"ipv6_netmask_length": null,
					"map_customer_owned_ip_on_launch": null,
					"map_public_ip_on_launch": false,
					"outpost_arn": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-public-a",
						"Tier": "public",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-public-a",
						"Project": "MarkMail",
						"Tier": "public",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"availability_zone_id": true,
					"id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_association_id": true,
					"owner_id": true,
					"private_dns_hostname_type_on_launch": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_subnet.vpc_public-1_75390BAE",
			"mode": "managed",
			"type": "aws_subnet",
			"name": "vpc_public-1_75390BAE",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_ipv6_address_on_creation": false,
					"availability_zone": "ap-northeast-1c",
					"cidr_block": "10.10.1.0/24",
					"customer_owned_ipv4_pool": null,
					"enable_dns64": false,
					"enable_lni_at_device_index": null,
					"enable_resource_name_dns_a_record_on_launch": false,
					"enable_resource_name_dns_aaaa_record_on_launch": false,
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_native": false,
					"ipv6_netmask_length": null,
					"map_customer_owned_ip_on_launch": null,
					"map_public_ip_on_launch": false,
					"outpost_arn": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-public-c",
						"Tier": "public",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-public-c",
						"Project": "MarkMail",
						"Tier": "public",
					},
					"timeouts": null,
				},
				"after_unknown": {
					"arn": true,
					"availability_zone_id": true,
					"id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_association_id": true,
					"owner_id": true,
					"private_dns_hostname_type_on_launch": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_vpc.vpc_6776A399",
			"mode": "managed",
			"type": "aws_vpc",
			"name": "vpc_6776A399",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"assign_generated_ipv6_cidr_block": null,
					"cidr_block": "10.10.0.0/16",
					"enable_dns_hostnames": true,
					"enable_dns_support": true,
					"instance_tenancy": "default",
					"ipv4_ipam_pool_id": null,
					"ipv4_netmask_length": null,
					"ipv6_ipam_pool_id": null,
					"ipv6_netmask_length": null,
					"region": "ap-northeast-1",
					"tags": {
						"Name": "markmail-dev-vpc",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-vpc",
						"Project": "MarkMail",
					},
				},
				"after_unknown": {
					"arn": true,
					"default_network_acl_id": true,
					"default_route_table_id": true,
					"default_security_group_id": true,
					"dhcp_options_id": true,
					"enable_network_address_usage_metrics": true,
					"id": true,
					"ipv6_association_id": true,
					"ipv6_cidr_block": true,
					"ipv6_cidr_block_network_border_group": true,
					"main_route_table_id": true,
					"owner_id": true,
					"tags": {},
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_endpoint.endpoints_s3_6279BB42",
			"mode": "managed",
			"type": "aws_vpc_endpoint",
			"name": "endpoints_s3_6279BB42",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"auto_accept": null,
					"region": "ap-northeast-1",
					"resource_configuration_arn": null,
					"service_name": "com.amazonaws.ap-northeast-1.s3",
					"service_network_arn": null,
					"tags": {
						"Name": "markmail-dev-s3",
					},
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Name": "markmail-dev-s3",
						"Project": "MarkMail",
					},
					"timeouts": null,
					"vpc_endpoint_type": "Gateway",
				},
				"after_unknown": {
					"arn": true,
					"cidr_blocks": true,
					"dns_entry": true,
					"dns_options": true,
					"id": true,
					"ip_address_type": true,
					"network_interface_ids": true,
					"owner_id": true,
					"policy": true,
					"prefix_list_id": true,
					"private_dns_enabled": true,
					"requester_managed": true,
					"route_table_ids": true,
					"security_group_ids": true,
					"service_region": true,
					"state": true,
					"subnet_configuration": true,
					"subnet_ids": true,
					"tags": {},
					"tags_all": {},
					"vpc_id": true,
				},
			},
		},
		{
			"address": "aws_vpc_security_group_egress_rule.sg_alb-out-8080-ecs_4E3B1B82",
			"mode": "managed",
			"type": "aws_vpc_security_group_egress_rule",
			"name": "sg_alb-out-8080-ecs_4E3B1B82",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "To the ECS tasks' container port",
					"from_port": 8080,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 8080,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_egress_rule.sg_bastion-out-443-cidr_1565AB90",
			"mode": "managed",
			"type": "aws_vpc_security_group_egress_rule",
			"name": "sg_bastion-out-443-cidr_1565AB90",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": "0.0.0.0/0",
					"cidr_ipv6": null,
					"description": "HTTPS to Systems Manager and package repositories",
					"from_port": 443,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"referenced_security_group_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 443,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_egress_rule.sg_bastion-out-5432-database_FA4BA6FD",
			"mode": "managed",
			"type": "aws_vpc_security_group_egress_rule",
			"name": "sg_bastion-out-5432-database_FA4BA6FD",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "PostgreSQL to Aurora",
					"from_port": 5432,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 5432,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_egress_rule.sg_ecs-out-443-cidr_32F38918",
			"mode": "managed",
			"type": "aws_vpc_security_group_egress_rule",
			"name": "sg_ecs-out-443-cidr_32F38918",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": "0.0.0.0/0",
					"cidr_ipv6": null,
					"description": "HTTPS to AWS APIs, ECR and external APIs (Salesforce, Stripe, AI providers)",
					"from_port": 443,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"referenced_security_group_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 443,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_egress_rule.sg_ecs-out-5432-database_82B23299",
			"mode": "managed",
			"type": "aws_vpc_security_group_egress_rule",
			"name": "sg_ecs-out-5432-database_82B23299",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "PostgreSQL to Aurora",
					"from_port": 5432,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 5432,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_egress_rule.sg_ecs-out-6379-cache_C204F066",
			"mode": "managed",
			"type": "aws_vpc_security_group_egress_rule",
			"name": "sg_ecs-out-6379-cache_C204F066",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "Redis (TLS) to ElastiCache",
					"from_port": 6379,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 6379,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_ingress_rule.sg_alb-in-443-cidr_35E2F984",
			"mode": "managed",
			"type": "aws_vpc_security_group_ingress_rule",
			"name": "sg_alb-in-443-cidr_35E2F984",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": "0.0.0.0/0",
					"cidr_ipv6": null,
					"description": "HTTPS from the internet",
					"from_port": 443,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"referenced_security_group_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 443,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_ingress_rule.sg_alb-in-80-cidr_A5B29D25",
			"mode": "managed",
			"type": "aws_vpc_security_group_ingress_rule",
			"name": "sg_alb-in-80-cidr_A5B29D25",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": "0.0.0.0/0",
					"cidr_ipv6": null,
					"description": "HTTP from the internet (redirected to HTTPS when a domain is set)",
					"from_port": 80,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"referenced_security_group_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 80,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_ingress_rule.sg_cache-in-6379-ecs_4B9F1D7B",
			"mode": "managed",
			"type": "aws_vpc_security_group_ingress_rule",
			"name": "sg_cache-in-6379-ecs_4B9F1D7B",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "Redis from the ECS tasks",
					"from_port": 6379,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 6379,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_ingress_rule.sg_database-in-5432-bastion_E64B15D3",
			"mode": "managed",
			"type": "aws_vpc_security_group_ingress_rule",
			"name": "sg_database-in-5432-bastion_E64B15D3",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "PostgreSQL from the SSM bastion (port forwarding)",
					"from_port": 5432,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 5432,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_ingress_rule.sg_database-in-5432-ecs_B97F73F7",
			"mode": "managed",
			"type": "aws_vpc_security_group_ingress_rule",
			"name": "sg_database-in-5432-ecs_B97F73F7",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "PostgreSQL from the ECS tasks",
					"from_port": 5432,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 5432,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
		{
			"address": "aws_vpc_security_group_ingress_rule.sg_ecs-in-8080-alb_6A8A0CD5",
			"mode": "managed",
			"type": "aws_vpc_security_group_ingress_rule",
			"name": "sg_ecs-in-8080-alb_6A8A0CD5",
			"provider_name": "registry.terraform.io/hashicorp/aws",
			"change": {
				"actions": [
					"create",
				],
				"after": {
					"cidr_ipv4": null,
					"cidr_ipv6": null,
					"description": "Container port from the ALB",
					"from_port": 8080,
					"ip_protocol": "tcp",
					"prefix_list_id": null,
					"region": "ap-northeast-1",
					"tags": null,
					"tags_all": {
						"Environment": "dev",
						"Layer": "network",
						"ManagedBy": "cdktf",
						"Project": "MarkMail",
					},
					"to_port": 8080,
				},
				"after_unknown": {
					"arn": true,
					"id": true,
					"referenced_security_group_id": true,
					"security_group_id": true,
					"security_group_rule_id": true,
					"tags_all": {},
				},
			},
		},
	],
	"configuration": {
		"provider_config": {
			"aws": {
				"name": "aws",
				"full_name": "registry.terraform.io/hashicorp/aws",
				"version_constraint": "6.25.0",
				"expressions": {
					"access_key": {
						"constant_value": "testing",
					},
					"default_tags": [
						{
							"tags": {
								"constant_value": {
									"Environment": "dev",
									"Layer": "network",
									"ManagedBy": "cdktf",
									"Project": "MarkMail",
								},
							},
						},
					],
					"endpoints": [
						{
							"ec2": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"elasticache": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"iam": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"kms": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"logs": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"rds": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"s3": {
								"constant_value": "http://127.0.0.1:45123",
							},
							"sts": {
								"constant_value": "http://127.0.0.1:45123",
							},
						},
					],
					"region": {
						"constant_value": "ap-northeast-1",
					},
					"secret_key": {
						"constant_value": "testing",
					},
					"skip_credentials_validation": {
						"constant_value": true,
					},
					"skip_metadata_api_check": {
						"constant_value": true,
					},
					"skip_requesting_account_id": {
						"constant_value": false,
					},
				},
			},
		},
		"root_module": {
			"resources": [
				{
					"address": "aws_cloudwatch_log_group.flow-log_logs_6DDC7807",
					"mode": "managed",
					"type": "aws_cloudwatch_log_group",
					"name": "flow-log_logs_6DDC7807",
					"expressions": {
						"kms_key_id": {
							"constant_value": "${aws_kms_key.key_F64E54E4.arn}",
							"references": [
								"aws_kms_key.key_F64E54E4.arn",
								"aws_kms_key.key_F64E54E4",
							],
						},
						"name": {
							"constant_value": "/vpc/markmail-dev/flow-logs",
						},
						"retention_in_days": {
							"constant_value": 30,
						},
					},
				},
				{
					"address": "aws_db_subnet_group.db-subnets",
					"mode": "managed",
					"type": "aws_db_subnet_group",
					"name": "db-subnets",
					"expressions": {
						"description": {
							"constant_value": "Isolated subnets of markmail-dev for Aurora",
						},
						"name": {
							"constant_value": "markmail-dev-db",
						},
						"subnet_ids": {
							"constant_value": [
								"${aws_subnet.vpc_isolated-0_AA05632D.id}",
								"${aws_subnet.vpc_isolated-1_C11C78DC.id}",
							],
							"references": [
								"aws_subnet.vpc_isolated-0_AA05632D.id",
								"aws_subnet.vpc_isolated-0_AA05632D",
								"aws_subnet.vpc_isolated-1_C11C78DC.id",
								"aws_subnet.vpc_isolated-1_C11C78DC",
							],
						},
					},
				},
				{
					"address": "aws_default_network_acl.vpc_default-nacl_F44BD1D2",
					"mode": "managed",
					"type": "aws_default_network_acl",
					"name": "vpc_default-nacl_F44BD1D2",
					"expressions": {
						"default_network_acl_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.default_network_acl_id}",
							"references": [
								"aws_vpc.vpc_6776A399.default_network_acl_id",
								"aws_vpc.vpc_6776A399",
							],
						},
						"egress": [
							{
								"action": {
									"constant_value": "allow",
								},
								"cidr_block": {
									"constant_value": "0.0.0.0/0",
								},
								"from_port": {
									"constant_value": 0,
								},
								"protocol": {
									"constant_value": "-1",
								},
								"rule_no": {
									"constant_value": 100,
								},
								"to_port": {
									"constant_value": 0,
								},
							},
						],
						"ingress": [
							{
								"action": {
									"constant_value": "allow",
								},
								"cidr_block": {
									"constant_value": "0.0.0.0/0",
								},
								"from_port": {
									"constant_value": 0,
								},
								"protocol": {
									"constant_value": "-1",
								},
								"rule_no": {
									"constant_value": 100,
								},
								"to_port": {
									"constant_value": 0,
								},
							},
						],
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-default-nacl",
							},
						},
					},
				},
				{
					"address": "aws_default_route_table.vpc_default-rt_36F58768",
					"mode": "managed",
					"type": "aws_default_route_table",
					"name": "vpc_default-rt_36F58768",
					"expressions": {
						"default_route_table_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.default_route_table_id}",
							"references": [
								"aws_vpc.vpc_6776A399.default_route_table_id",
								"aws_vpc.vpc_6776A399",
							],
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-default-unused",
							},
						},
					},
				},
				{
					"address": "aws_default_security_group.vpc_default-sg_883082C2",
					"mode": "managed",
					"type": "aws_default_security_group",
					"name": "vpc_default-sg_883082C2",
					"expressions": {
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-default-locked",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_eip.vpc_nat-eip-0_55F1DB30",
					"mode": "managed",
					"type": "aws_eip",
					"name": "vpc_nat-eip-0_55F1DB30",
					"expressions": {
						"domain": {
							"constant_value": "vpc",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-nat-a",
							},
						},
					},
				},
				{
					"address": "aws_elasticache_subnet_group.cache-subnets",
					"mode": "managed",
					"type": "aws_elasticache_subnet_group",
					"name": "cache-subnets",
					"expressions": {
						"description": {
							"constant_value": "Isolated subnets of markmail-dev for ElastiCache",
						},
						"name": {
							"constant_value": "markmail-dev-cache",
						},
						"subnet_ids": {
							"constant_value": [
								"${aws_subnet.vpc_isolated-0_AA05632D.id}",
								"${aws_subnet.vpc_isolated-1_C11C78DC.id}",
							],
							"references": [
								"aws_subnet.vpc_isolated-0_AA05632D.id",
								"aws_subnet.vpc_isolated-0_AA05632D",
								"aws_subnet.vpc_isolated-1_C11C78DC.id",
								"aws_subnet.vpc_isolated-1_C11C78DC",
							],
						},
					},
				},
				{
					"address": "aws_flow_log.flow-log_40A245C3",
					"mode": "managed",
					"type": "aws_flow_log",
					"name": "flow-log_40A245C3",
					"expressions": {
						"iam_role_arn": {
							"constant_value": "${aws_iam_role.flow-log_role_51EC8A76.arn}",
							"references": [
								"aws_iam_role.flow-log_role_51EC8A76.arn",
								"aws_iam_role.flow-log_role_51EC8A76",
							],
						},
						"log_destination": {
							"constant_value": "${aws_cloudwatch_log_group.flow-log_logs_6DDC7807.arn}",
							"references": [
								"aws_cloudwatch_log_group.flow-log_logs_6DDC7807.arn",
								"aws_cloudwatch_log_group.flow-log_logs_6DDC7807",
							],
						},
						"log_destination_type": {
							"constant_value": "cloud-watch-logs",
						},
						"max_aggregation_interval": {
							"constant_value": 60,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-flow-logs",
							},
						},
						"traffic_type": {
							"constant_value": "ALL",
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_iam_role.flow-log_role_51EC8A76",
					"mode": "managed",
					"type": "aws_iam_role",
					"name": "flow-log_role_51EC8A76",
					"expressions": {
						"assume_role_policy": {
							"constant_value": "${data.aws_iam_policy_document.flow-log_trust_9D858E6B.json}",
							"references": [
								"data.aws_iam_policy_document.flow-log_trust_9D858E6B.json",
								"data.aws_iam_policy_document.flow-log_trust_9D858E6B",
							],
						},
						"description": {
							"constant_value": "Delivers VPC flow logs of markmail-dev to CloudWatch Logs",
						},
						"name": {
							"constant_value": "markmail-dev-flow-logs",
						},
					},
				},
				{
					"address": "aws_iam_role_policy.flow-log_policy_1AAF8C73",
					"mode": "managed",
					"type": "aws_iam_role_policy",
					"name": "flow-log_policy_1AAF8C73",
					"expressions": {
						"name": {
							"constant_value": "WriteFlowLogs",
						},
						"policy": {
							"constant_value": "${data.aws_iam_policy_document.flow-log_write_59B75B00.json}",
							"references": [
								"data.aws_iam_policy_document.flow-log_write_59B75B00.json",
								"data.aws_iam_policy_document.flow-log_write_59B75B00",
							],
						},
						"role": {
							"constant_value": "${aws_iam_role.flow-log_role_51EC8A76.id}",
							"references": [
								"aws_iam_role.flow-log_role_51EC8A76.id",
								"aws_iam_role.flow-log_role_51EC8A76",
							],
						},
					},
				},
				{
					"address": "aws_internet_gateway.vpc_igw_E5E304CC",
					"mode": "managed",
					"type": "aws_internet_gateway",
					"name": "vpc_igw_E5E304CC",
					"expressions": {
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-igw",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_kms_alias.key_alias_9418169B",
					"mode": "managed",
					"type": "aws_kms_alias",
					"name": "key_alias_9418169B",
					"expressions": {
						"name": {
							"constant_value": "alias/markmail-dev-network",
						},
						"target_key_id": {
							"constant_value": "${aws_kms_key.key_F64E54E4.key_id}",
							"references": [
								"aws_kms_key.key_F64E54E4.key_id",
								"aws_kms_key.key_F64E54E4",
							],
						},
					},
				},
				{
					"address": "aws_kms_key.key_F64E54E4",
					"mode": "managed",
					"type": "aws_kms_key",
					"name": "key_F64E54E4",
					"expressions": {
						"deletion_window_in_days": {
							"constant_value": 7,
						},
						"description": {
							"constant_value": "markmail-dev: VPC flow logs",
						},
						"enable_key_rotation": {
							"constant_value": true,
						},
						"policy": {
							"constant_value": "${data.aws_iam_policy_document.key_policy_55EBA191.json}",
							"references": [
								"data.aws_iam_policy_document.key_policy_55EBA191.json",
								"data.aws_iam_policy_document.key_policy_55EBA191",
							],
						},
					},
				},
				{
					"address": "aws_nat_gateway.vpc_nat-0_475420CF",
					"mode": "managed",
					"type": "aws_nat_gateway",
					"name": "vpc_nat-0_475420CF",
					"expressions": {
						"allocation_id": {
							"constant_value": "${aws_eip.vpc_nat-eip-0_55F1DB30.allocation_id}",
							"references": [
								"aws_eip.vpc_nat-eip-0_55F1DB30.allocation_id",
								"aws_eip.vpc_nat-eip-0_55F1DB30",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_public-0_B01643AC.id}",
							"references": [
								"aws_subnet.vpc_public-0_B01643AC.id",
								"aws_subnet.vpc_public-0_B01643AC",
							],
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-nat-a",
							},
						},
					},
				},
				{
					"address": "aws_route.vpc_private-default-0_2E7B12E6",
					"mode": "managed",
					"type": "aws_route",
					"name": "vpc_private-default-0_2E7B12E6",
					"expressions": {
						"destination_cidr_block": {
							"constant_value": "0.0.0.0/0",
						},
						"nat_gateway_id": {
							"constant_value": "${aws_nat_gateway.vpc_nat-0_475420CF.id}",
							"references": [
								"aws_nat_gateway.vpc_nat-0_475420CF.id",
								"aws_nat_gateway.vpc_nat-0_475420CF",
							],
						},
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_private-rt-0_DCD93519.id}",
							"references": [
								"aws_route_table.vpc_private-rt-0_DCD93519.id",
								"aws_route_table.vpc_private-rt-0_DCD93519",
							],
						},
					},
				},
				{
					"address": "aws_route.vpc_private-default-1_BD42DCEF",
					"mode": "managed",
					"type": "aws_route",
					"name": "vpc_private-default-1_BD42DCEF",
					"expressions": {
						"destination_cidr_block": {
							"constant_value": "0.0.0.0/0",
						},
						"nat_gateway_id": {
							"constant_value": "${aws_nat_gateway.vpc_nat-0_475420CF.id}",
							"references": [
								"aws_nat_gateway.vpc_nat-0_475420CF.id",
								"aws_nat_gateway.vpc_nat-0_475420CF",
							],
						},
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_private-rt-1_C55E6528.id}",
							"references": [
								"aws_route_table.vpc_private-rt-1_C55E6528.id",
								"aws_route_table.vpc_private-rt-1_C55E6528",
							],
						},
					},
				},
				{
					"address": "aws_route.vpc_public-default_404993E7",
					"mode": "managed",
					"type": "aws_route",
					"name": "vpc_public-default_404993E7",
					"expressions": {
						"destination_cidr_block": {
							"constant_value": "0.0.0.0/0",
						},
						"gateway_id": {
							"constant_value": "${aws_internet_gateway.vpc_igw_E5E304CC.id}",
							"references": [
								"aws_internet_gateway.vpc_igw_E5E304CC.id",
								"aws_internet_gateway.vpc_igw_E5E304CC",
							],
						},
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_public-rt_2E2B0697.id}",
							"references": [
								"aws_route_table.vpc_public-rt_2E2B0697.id",
								"aws_route_table.vpc_public-rt_2E2B0697",
							],
						},
					},
				},
				{
					"address": "aws_route_table.vpc_isolated-rt_C1A7A579",
					"mode": "managed",
					"type": "aws_route_table",
					"name": "vpc_isolated-rt_C1A7A579",
					"expressions": {
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-isolated",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_route_table.vpc_private-rt-0_DCD93519",
					"mode": "managed",
					"type": "aws_route_table",
					"name": "vpc_private-rt-0_DCD93519",
					"expressions": {
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-private-a",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_route_table.vpc_private-rt-1_C55E6528",
					"mode": "managed",
					"type": "aws_route_table",
					"name": "vpc_private-rt-1_C55E6528",
					"expressions": {
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-private-c",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_route_table.vpc_public-rt_2E2B0697",
					"mode": "managed",
					"type": "aws_route_table",
					"name": "vpc_public-rt_2E2B0697",
					"expressions": {
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-public",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_route_table_association.vpc_isolated-assoc-0_8E588AFE",
					"mode": "managed",
					"type": "aws_route_table_association",
					"name": "vpc_isolated-assoc-0_8E588AFE",
					"expressions": {
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_isolated-rt_C1A7A579.id}",
							"references": [
								"aws_route_table.vpc_isolated-rt_C1A7A579.id",
								"aws_route_table.vpc_isolated-rt_C1A7A579",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_isolated-0_AA05632D.id}",
							"references": [
								"aws_subnet.vpc_isolated-0_AA05632D.id",
								"aws_subnet.vpc_isolated-0_AA05632D",
							],
						},
					},
				},
				{
					"address": "aws_route_table_association.vpc_isolated-assoc-1_D4B2A23D",
					"mode": "managed",
					"type": "aws_route_table_association",
					"name": "vpc_isolated-assoc-1_D4B2A23D",
					"expressions": {
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_isolated-rt_C1A7A579.id}",
							"references": [
								"aws_route_table.vpc_isolated-rt_C1A7A579.id",
								"aws_route_table.vpc_isolated-rt_C1A7A579",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_isolated-1_C11C78DC.id}",
							"references": [
								"aws_subnet.vpc_isolated-1_C11C78DC.id",
								"aws_subnet.vpc_isolated-1_C11C78DC",
							],
						},
					},
				},
				{
					"address": "aws_route_table_association.vpc_private-assoc-0_F64B438C",
					"mode": "managed",
					"type": "aws_route_table_association",
					"name": "vpc_private-assoc-0_F64B438C",
					"expressions": {
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_private-rt-0_DCD93519.id}",
							"references": [
								"aws_route_table.vpc_private-rt-0_DCD93519.id",
								"aws_route_table.vpc_private-rt-0_DCD93519",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_private-0_BC0C0085.id}",
							"references": [
								"aws_subnet.vpc_private-0_BC0C0085.id",
								"aws_subnet.vpc_private-0_BC0C0085",
							],
						},
					},
				},
				{
					"address": "aws_route_table_association.vpc_private-assoc-1_8B045F29",
					"mode": "managed",
					"type": "aws_route_table_association",
					"name": "vpc_private-assoc-1_8B045F29",
					"expressions": {
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_private-rt-1_C55E6528.id}",
							"references": [
								"aws_route_table.vpc_private-rt-1_C55E6528.id",
								"aws_route_table.vpc_private-rt-1_C55E6528",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_private-1_94F31C2E.id}",
							"references": [
								"aws_subnet.vpc_private-1_94F31C2E.id",
								"aws_subnet.vpc_private-1_94F31C2E",
							],
						},
					},
				},
				{
					"address": "aws_route_table_association.vpc_public-assoc-0_07625545",
					"mode": "managed",
					"type": "aws_route_table_association",
					"name": "vpc_public-assoc-0_07625545",
					"expressions": {
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_public-rt_2E2B0697.id}",
							"references": [
								"aws_route_table.vpc_public-rt_2E2B0697.id",
								"aws_route_table.vpc_public-rt_2E2B0697",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_public-0_B01643AC.id}",
							"references": [
								"aws_subnet.vpc_public-0_B01643AC.id",
								"aws_subnet.vpc_public-0_B01643AC",
							],
						},
					},
				},
				{
					"address": "aws_route_table_association.vpc_public-assoc-1_02793C1B",
					"mode": "managed",
					"type": "aws_route_table_association",
					"name": "vpc_public-assoc-1_02793C1B",
					"expressions": {
						"route_table_id": {
							"constant_value": "${aws_route_table.vpc_public-rt_2E2B0697.id}",
							"references": [
								"aws_route_table.vpc_public-rt_2E2B0697.id",
								"aws_route_table.vpc_public-rt_2E2B0697",
							],
						},
						"subnet_id": {
							"constant_value": "${aws_subnet.vpc_public-1_75390BAE.id}",
							"references": [
								"aws_subnet.vpc_public-1_75390BAE.id",
								"aws_subnet.vpc_public-1_75390BAE",
							],
						},
					},
				},
				{
					"address": "aws_security_group.sg_alb_D8A77A90",
					"mode": "managed",
					"type": "aws_security_group",
					"name": "sg_alb_D8A77A90",
					"expressions": {
						"description": {
							"constant_value": "Application Load Balancer: HTTP/HTTPS from the internet",
						},
						"name": {
							"constant_value": "markmail-dev-alb",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-alb",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_security_group.sg_bastion_28CCDF78",
					"mode": "managed",
					"type": "aws_security_group",
					"name": "sg_bastion_28CCDF78",
					"expressions": {
						"description": {
							"constant_value": "SSM bastion: no inbound at all",
						},
						"name": {
							"constant_value": "markmail-dev-bastion",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-bastion",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_security_group.sg_cache_DEC4149D",
					"mode": "managed",
					"type": "aws_security_group",
					"name": "sg_cache_DEC4149D",
					"expressions": {
						"description": {
							"constant_value": "ElastiCache Redis: from ECS tasks only",
						},
						"name": {
							"constant_value": "markmail-dev-cache",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-cache",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_security_group.sg_database_17893BAA",
					"mode": "managed",
					"type": "aws_security_group",
					"name": "sg_database_17893BAA",
					"expressions": {
						"description": {
							"constant_value": "Aurora PostgreSQL: from ECS tasks and the bastion only",
						},
						"name": {
							"constant_value": "markmail-dev-database",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-database",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_security_group.sg_ecs_F2D31EE6",
					"mode": "managed",
					"type": "aws_security_group",
					"name": "sg_ecs_F2D31EE6",
					"expressions": {
						"description": {
							"constant_value": "ECS tasks: container port from the ALB only",
						},
						"name": {
							"constant_value": "markmail-dev-ecs",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-ecs",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_subnet.vpc_isolated-0_AA05632D",
					"mode": "managed",
					"type": "aws_subnet",
					"name": "vpc_isolated-0_AA05632D",
					"expressions": {
						"availability_zone": {
							"constant_value": "ap-northeast-1a",
						},
						"cidr_block": {
							"constant_value": "10.10.8.0/24",
						},
						"map_public_ip_on_launch": {
							"constant_value": false,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-isolated-a",
								"Tier": "isolated",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_subnet.vpc_isolated-1_C11C78DC",
					"mode": "managed",
					"type": "aws_subnet",
					"name": "vpc_isolated-1_C11C78DC",
					"expressions": {
						"availability_zone": {
							"constant_value": "ap-northeast-1c",
						},
						"cidr_block": {
							"constant_value": "10.10.9.0/24",
						},
						"map_public_ip_on_launch": {
							"constant_value": false,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-isolated-c",
								"Tier": "isolated",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_subnet.vpc_private-0_BC0C0085",
					"mode": "managed",
					"type": "aws_subnet",
					"name": "vpc_private-0_BC0C0085",
					"expressions": {
						"availability_zone": {
							"constant_value": "ap-northeast-1a",
						},
						"cidr_block": {
							"constant_value": "10.10.16.0/20",
						},
						"map_public_ip_on_launch": {
							"constant_value": false,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-private-a",
								"Tier": "private",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_subnet.vpc_private-1_94F31C2E",
					"mode": "managed",
					"type": "aws_subnet",
					"name": "vpc_private-1_94F31C2E",
					"expressions": {
						"availability_zone": {
							"constant_value": "ap-northeast-1c",
						},
						"cidr_block": {
							"constant_value": "10.10.32.0/20",
						},
						"map_public_ip_on_launch": {
							"constant_value": false,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-private-c",
								"Tier": "private",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_subnet.vpc_public-0_B01643AC",
					"mode": "managed",
					"type": "aws_subnet",
					"name": "vpc_public-0_B01643AC",
					"expressions": {
						"availability_zone": {
							"constant_value": "ap-northeast-1a",
						},
						"cidr_block": {
							"constant_value": "10.10.0.0/24",
						},
						"map_public_ip_on_launch": {
							"constant_value": false,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-public-a",
								"Tier": "public",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_subnet.vpc_public-1_75390BAE",
					"mode": "managed",
					"type": "aws_subnet",
					"name": "vpc_public-1_75390BAE",
					"expressions": {
						"availability_zone": {
							"constant_value": "ap-northeast-1c",
						},
						"cidr_block": {
							"constant_value": "10.10.1.0/24",
						},
						"map_public_ip_on_launch": {
							"constant_value": false,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-public-c",
								"Tier": "public",
							},
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_vpc.vpc_6776A399",
					"mode": "managed",
					"type": "aws_vpc",
					"name": "vpc_6776A399",
					"expressions": {
						"cidr_block": {
							"constant_value": "10.10.0.0/16",
						},
						"enable_dns_hostnames": {
							"constant_value": true,
						},
						"enable_dns_support": {
							"constant_value": true,
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-vpc",
							},
						},
					},
				},
				{
					"address": "aws_vpc_endpoint.endpoints_s3_6279BB42",
					"mode": "managed",
					"type": "aws_vpc_endpoint",
					"name": "endpoints_s3_6279BB42",
					"expressions": {
						"route_table_ids": {
							"constant_value": [
								"${aws_route_table.vpc_private-rt-0_DCD93519.id}",
								"${aws_route_table.vpc_private-rt-1_C55E6528.id}",
								"${aws_route_table.vpc_isolated-rt_C1A7A579.id}",
							],
							"references": [
								"aws_route_table.vpc_private-rt-0_DCD93519.id",
								"aws_route_table.vpc_private-rt-0_DCD93519",
								"aws_route_table.vpc_private-rt-1_C55E6528.id",
								"aws_route_table.vpc_private-rt-1_C55E6528",
								"aws_route_table.vpc_isolated-rt_C1A7A579.id",
								"aws_route_table.vpc_isolated-rt_C1A7A579",
							],
						},
						"service_name": {
							"constant_value": "com.amazonaws.ap-northeast-1.s3",
						},
						"tags": {
							"constant_value": {
								"Name": "markmail-dev-s3",
							},
						},
						"vpc_endpoint_type": {
							"constant_value": "Gateway",
						},
						"vpc_id": {
							"constant_value": "${aws_vpc.vpc_6776A399.id}",
							"references": [
								"aws_vpc.vpc_6776A399.id",
								"aws_vpc.vpc_6776A399",
							],
						},
					},
				},
				{
					"address": "aws_vpc_security_group_egress_rule.sg_alb-out-8080-ecs_4E3B1B82",
					"mode": "managed",
					"type": "aws_vpc_security_group_egress_rule",
					"name": "sg_alb-out-8080-ecs_4E3B1B82",
					"expressions": {
						"description": {
							"constant_value": "To the ECS tasks' container port",
						},
						"from_port": {
							"constant_value": 8080,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_alb_D8A77A90.id}",
							"references": [
								"aws_security_group.sg_alb_D8A77A90.id",
								"aws_security_group.sg_alb_D8A77A90",
							],
						},
						"to_port": {
							"constant_value": 8080,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_egress_rule.sg_bastion-out-443-cidr_1565AB90",
					"mode": "managed",
					"type": "aws_vpc_security_group_egress_rule",
					"name": "sg_bastion-out-443-cidr_1565AB90",
					"expressions": {
						"cidr_ipv4": {
							"constant_value": "0.0.0.0/0",
						},
						"description": {
							"constant_value": "HTTPS to Systems Manager and package repositories",
						},
						"from_port": {
							"constant_value": 443,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_bastion_28CCDF78.id}",
							"references": [
								"aws_security_group.sg_bastion_28CCDF78.id",
								"aws_security_group.sg_bastion_28CCDF78",
							],
						},
						"to_port": {
							"constant_value": 443,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_egress_rule.sg_bastion-out-5432-database_FA4BA6FD",
					"mode": "managed",
					"type": "aws_vpc_security_group_egress_rule",
					"name": "sg_bastion-out-5432-database_FA4BA6FD",
					"expressions": {
						"description": {
							"constant_value": "PostgreSQL to Aurora",
						},
						"from_port": {
							"constant_value": 5432,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_database_17893BAA.id}",
							"references": [
								"aws_security_group.sg_database_17893BAA.id",
								"aws_security_group.sg_database_17893BAA",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_bastion_28CCDF78.id}",
							"references": [
								"aws_security_group.sg_bastion_28CCDF78.id",
								"aws_security_group.sg_bastion_28CCDF78",
							],
						},
						"to_port": {
							"constant_value": 5432,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_egress_rule.sg_ecs-out-443-cidr_32F38918",
					"mode": "managed",
					"type": "aws_vpc_security_group_egress_rule",
					"name": "sg_ecs-out-443-cidr_32F38918",
					"expressions": {
						"cidr_ipv4": {
							"constant_value": "0.0.0.0/0",
						},
						"description": {
							"constant_value": "HTTPS to AWS APIs, ECR and external APIs (Salesforce, Stripe, AI providers)",
						},
						"from_port": {
							"constant_value": 443,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"to_port": {
							"constant_value": 443,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_egress_rule.sg_ecs-out-5432-database_82B23299",
					"mode": "managed",
					"type": "aws_vpc_security_group_egress_rule",
					"name": "sg_ecs-out-5432-database_82B23299",
					"expressions": {
						"description": {
							"constant_value": "PostgreSQL to Aurora",
						},
						"from_port": {
							"constant_value": 5432,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_database_17893BAA.id}",
							"references": [
								"aws_security_group.sg_database_17893BAA.id",
								"aws_security_group.sg_database_17893BAA",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"to_port": {
							"constant_value": 5432,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_egress_rule.sg_ecs-out-6379-cache_C204F066",
					"mode": "managed",
					"type": "aws_vpc_security_group_egress_rule",
					"name": "sg_ecs-out-6379-cache_C204F066",
					"expressions": {
						"description": {
							"constant_value": "Redis (TLS) to ElastiCache",
						},
						"from_port": {
							"constant_value": 6379,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_cache_DEC4149D.id}",
							"references": [
								"aws_security_group.sg_cache_DEC4149D.id",
								"aws_security_group.sg_cache_DEC4149D",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"to_port": {
							"constant_value": 6379,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_ingress_rule.sg_alb-in-443-cidr_35E2F984",
					"mode": "managed",
					"type": "aws_vpc_security_group_ingress_rule",
					"name": "sg_alb-in-443-cidr_35E2F984",
					"expressions": {
						"cidr_ipv4": {
							"constant_value": "0.0.0.0/0",
						},
						"description": {
							"constant_value": "HTTPS from the internet",
						},
						"from_port": {
							"constant_value": 443,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_alb_D8A77A90.id}",
							"references": [
								"aws_security_group.sg_alb_D8A77A90.id",
								"aws_security_group.sg_alb_D8A77A90",
							],
						},
						"to_port": {
							"constant_value": 443,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_ingress_rule.sg_alb-in-80-cidr_A5B29D25",
					"mode": "managed",
					"type": "aws_vpc_security_group_ingress_rule",
					"name": "sg_alb-in-80-cidr_A5B29D25",
					"expressions": {
						"cidr_ipv4": {
							"constant_value": "0.0.0.0/0",
						},
						"description": {
							"constant_value": "HTTP from the internet (redirected to HTTPS when a domain is set)",
						},
						"from_port": {
							"constant_value": 80,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_alb_D8A77A90.id}",
							"references": [
								"aws_security_group.sg_alb_D8A77A90.id",
								"aws_security_group.sg_alb_D8A77A90",
							],
						},
						"to_port": {
							"constant_value": 80,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_ingress_rule.sg_cache-in-6379-ecs_4B9F1D7B",
					"mode": "managed",
					"type": "aws_vpc_security_group_ingress_rule",
					"name": "sg_cache-in-6379-ecs_4B9F1D7B",
					"expressions": {
						"description": {
							"constant_value": "Redis from the ECS tasks",
						},
						"from_port": {
							"constant_value": 6379,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_cache_DEC4149D.id}",
							"references": [
								"aws_security_group.sg_cache_DEC4149D.id",
								"aws_security_group.sg_cache_DEC4149D",
							],
						},
						"to_port": {
							"constant_value": 6379,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_ingress_rule.sg_database-in-5432-bastion_E64B15D3",
					"mode": "managed",
					"type": "aws_vpc_security_group_ingress_rule",
					"name": "sg_database-in-5432-bastion_E64B15D3",
					"expressions": {
						"description": {
							"constant_value": "PostgreSQL from the SSM bastion (port forwarding)",
						},
						"from_port": {
							"constant_value": 5432,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_bastion_28CCDF78.id}",
							"references": [
								"aws_security_group.sg_bastion_28CCDF78.id",
								"aws_security_group.sg_bastion_28CCDF78",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_database_17893BAA.id}",
							"references": [
								"aws_security_group.sg_database_17893BAA.id",
								"aws_security_group.sg_database_17893BAA",
							],
						},
						"to_port": {
							"constant_value": 5432,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_ingress_rule.sg_database-in-5432-ecs_B97F73F7",
					"mode": "managed",
					"type": "aws_vpc_security_group_ingress_rule",
					"name": "sg_database-in-5432-ecs_B97F73F7",
					"expressions": {
						"description": {
							"constant_value": "PostgreSQL from the ECS tasks",
						},
						"from_port": {
							"constant_value": 5432,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_database_17893BAA.id}",
							"references": [
								"aws_security_group.sg_database_17893BAA.id",
								"aws_security_group.sg_database_17893BAA",
							],
						},
						"to_port": {
							"constant_value": 5432,
						},
					},
				},
				{
					"address": "aws_vpc_security_group_ingress_rule.sg_ecs-in-8080-alb_6A8A0CD5",
					"mode": "managed",
					"type": "aws_vpc_security_group_ingress_rule",
					"name": "sg_ecs-in-8080-alb_6A8A0CD5",
					"expressions": {
						"description": {
							"constant_value": "Container port from the ALB",
						},
						"from_port": {
							"constant_value": 8080,
						},
						"ip_protocol": {
							"constant_value": "tcp",
						},
						"referenced_security_group_id": {
							"constant_value": "${aws_security_group.sg_alb_D8A77A90.id}",
							"references": [
								"aws_security_group.sg_alb_D8A77A90.id",
								"aws_security_group.sg_alb_D8A77A90",
							],
						},
						"security_group_id": {
							"constant_value": "${aws_security_group.sg_ecs_F2D31EE6.id}",
							"references": [
								"aws_security_group.sg_ecs_F2D31EE6.id",
								"aws_security_group.sg_ecs_F2D31EE6",
							],
						},
						"to_port": {
							"constant_value": 8080,
						},
					},
				},
				{
					"address": "data.aws_caller_identity.account_caller_1C5BE04F",
					"mode": "data",
					"type": "aws_caller_identity",
					"name": "account_caller_1C5BE04F",
					"expressions": null,
				},
				{
					"address": "data.aws_iam_policy_document.flow-log_trust_9D858E6B",
					"mode": "data",
					"type": "aws_iam_policy_document",
					"name": "flow-log_trust_9D858E6B",
					"expressions": {
						"statement": [
							{
								"actions": {
									"constant_value": [
										"sts:AssumeRole",
									],
								},
								"condition": [
									{
										"test": {
											"constant_value": "StringEquals",
										},
										"values": {
											"constant_value": [
												"${data.aws_caller_identity.account_caller_1C5BE04F.account_id}",
											],
											"references": [
												"data.aws_caller_identity.account_caller_1C5BE04F.account_id",
												"data.aws_caller_identity.account_caller_1C5BE04F",
											],
										},
										"variable": {
											"constant_value": "aws:SourceAccount",
										},
									},
								],
								"effect": {
									"constant_value": "Allow",
								},
								"principals": [
									{
										"identifiers": {
											"constant_value": [
												"vpc-flow-logs.amazonaws.com",
											],
										},
										"type": {
											"constant_value": "Service",
										},
									},
								],
							},
						],
					},
				},
				{
					"address": "data.aws_iam_policy_document.flow-log_write_59B75B00",
					"mode": "data",
					"type": "aws_iam_policy_document",
					"name": "flow-log_write_59B75B00",
					"expressions": {
						"statement": [
							{
								"actions": {
									"constant_value": [
										"logs:CreateLogStream",
										"logs:PutLogEvents",
										"logs:DescribeLogStreams",
									],
								},
								"effect": {
									"constant_value": "Allow",
								},
								"resources": {
									"constant_value": [
										"${aws_cloudwatch_log_group.flow-log_logs_6DDC7807.arn}:*",
									],
									"references": [
										"aws_cloudwatch_log_group.flow-log_logs_6DDC7807.arn",
										"aws_cloudwatch_log_group.flow-log_logs_6DDC7807",
									],
								},
							},
							{
								"actions": {
									"constant_value": [
										"logs:DescribeLogGroups",
									],
								},
								"effect": {
									"constant_value": "Allow",
								},
								"resources": {
									"constant_value": [
										"arn:${data.aws_partition.account_partition_32ACE770.partition}:logs:ap-northeast-1:${data.aws_caller_identity.account_caller_1C5BE04F.account_id}:log-group:*",
									],
									"references": [
										"data.aws_partition.account_partition_32ACE770.partition",
										"data.aws_partition.account_partition_32ACE770",
										"data.aws_caller_identity.account_caller_1C5BE04F.account_id",
										"data.aws_caller_identity.account_caller_1C5BE04F",
									],
								},
							},
						],
					},
				},
				{
					"address": "data.aws_iam_policy_document.key_policy_55EBA191",
					"mode": "data",
					"type": "aws_iam_policy_document",
					"name": "key_policy_55EBA191",
					"expressions": {
						"statement": [
							{
								"actions": {
									"constant_value": [
										"kms:*",
									],
								},
								"effect": {
									"constant_value": "Allow",
								},
								"principals": [
									{
										"identifiers": {
											"constant_value": [
												"arn:${data.aws_partition.account_partition_32ACE770.partition}:iam::${data.aws_caller_identity.account_caller_1C5BE04F.account_id}:root",
											],
											"references": [
												"data.aws_partition.account_partition_32ACE770.partition",
												"data.aws_partition.account_partition_32ACE770",
												"data.aws_caller_identity.account_caller_1C5BE04F.account_id",
												"data.aws_caller_identity.account_caller_1C5BE04F",
											],
										},
										"type": {
											"constant_value": "AWS",
										},
									},
								],
								"resources": {
									"constant_value": [
										"*",
									],
								},
								"sid": {
									"constant_value": "AccountAdministersKey",
								},
							},
							{
								"actions": {
									"constant_value": [
										"kms:Encrypt*",
										"kms:Decrypt*",
										"kms:ReEncrypt*",
										"kms:GenerateDataKey*",
										"kms:Describe*",
									],
								},
								"condition": [
									{
										"test": {
											"constant_value": "ArnLike",
										},
										"values": {
											"constant_value": [
												"arn:${data.aws_partition.account_partition_32ACE770.partition}:logs:ap-northeast-1:${data.aws_caller_identity.account_caller_1C5BE04F.account_id}:log-group:*",
											],
											"references": [
												"data.aws_partition.account_partition_32ACE770.partition",
												"data.aws_partition.account_partition_32ACE770",
												"data.aws_caller_identity.account_caller_1C5BE04F.account_id",
												"data.aws_caller_identity.account_caller_1C5BE04F",
											],
										},
										"variable": {
											"constant_value": "kms:EncryptionContext:aws:logs:arn",
										},
									},
								],
								"effect": {
									"constant_value": "Allow",
								},
								"principals": [
									{
										"identifiers": {
											"constant_value": [
												"logs.ap-northeast-1.amazonaws.com",
											],
										},
										"type": {
											"constant_value": "Service",
										},
									},
								],
								"resources": {
									"constant_value": [
										"*",
									],
								},
								"sid": {
									"constant_value": "CloudWatchLogsUseKey",
								},
							},
						],
					},
				},
				{
					"address": "data.aws_partition.account_partition_32ACE770",
					"mode": "data",
					"type": "aws_partition",
					"name": "account_partition_32ACE770",
					"expressions": null,
				},
			],
		},
	},
	"prior_state": {
		"values": {
			"root_module": {
				"resources": [
					{
						"address": "data.aws_caller_identity.account_caller_1C5BE04F",
						"mode": "data",
						"type": "aws_caller_identity",
						"name": "account_caller_1C5BE04F",
						"provider_name": "registry.terraform.io/hashicorp/aws",
						"schema_version": 0,
						"values": {
							"account_id": "123456789012",
							"arn": "arn:aws:sts::123456789012:user/moto",
							"id": "123456789012",
							"user_id": "AKIAIOSFODNN7EXAMPLE",
						},
						"sensitive_values": {},
					},
					{
						"address": "data.aws_iam_policy_document.flow-log_trust_9D858E6B",
						"mode": "data",
						"type": "aws_iam_policy_document",
						"name": "flow-log_trust_9D858E6B",
						"provider_name": "registry.terraform.io/hashicorp/aws",
						"schema_version": 0,
						"values": {
							"id": "1027923384",
							"json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"sts:AssumeRole\",\n      \"Principal\": {\n        \"Service\": \"vpc-flow-logs.amazonaws.com\"\n      },\n      \"Condition\": {\n        \"StringEquals\": {\n          \"aws:SourceAccount\": \"123456789012\"\n        }\n      }\n    }\n  ]\n}",
							"minified_json": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"},\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}}]}",
							"override_json": null,
							"override_policy_documents": null,
							"policy_id": null,
							"source_json": null,
							"source_policy_documents": null,
							"statement": [
								{
									"actions": [
										"sts:AssumeRole",
									],
									"condition": [
										{
											"test": "StringEquals",
											"values": [
												"123456789012",
											],
											"variable": "aws:SourceAccount",
										},
									],
									"effect": "Allow",
									"not_actions": [],
									"not_principals": [],
									"not_resources": [],
									"principals": [
										{
											"identifiers": [
												"vpc-flow-logs.amazonaws.com",
											],
											"type": "Service",
										},
									],
									"resources": [],
									"sid": "",
								},
							],
							"version": "2012-10-17",
						},
						"sensitive_values": {
							"statement": [
								{
									"actions": [
										false,
									],
									"condition": [
										{
											"values": [
												false,
											],
										},
									],
									"not_actions": [],
									"not_principals": [],
									"not_resources": [],
									"principals": [
										{
											"identifiers": [
												false,
											],
										},
									],
									"resources": [],
								},
							],
						},
					},
					{
						"address": "data.aws_iam_policy_document.key_policy_55EBA191",
						"mode": "data",
						"type": "aws_iam_policy_document",
						"name": "key_policy_55EBA191",
						"provider_name": "registry.terraform.io/hashicorp/aws",
						"schema_version": 0,
						"values": {
							"id": "4025541479",
							"json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"AccountAdministersKey\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"kms:*\",\n      \"Resource\": \"*\",\n      \"Principal\": {\n        \"AWS\": \"arn:aws:iam::123456789012:root\"\n      }\n    },\n    {\n      \"Sid\": \"CloudWatchLogsUseKey\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"kms:ReEncrypt*\",\n        \"kms:GenerateDataKey*\",\n        \"kms:Encrypt*\",\n        \"kms:Describe*\",\n        \"kms:Decrypt*\"\n      ],\n      \"Resource\": \"*\",\n      \"Principal\": {\n        \"Service\": \"logs.ap-northeast-1.amazonaws.com\"\n      },\n      \"Condition\": {\n        \"ArnLike\": {\n          \"kms:EncryptionContext:aws:logs:arn\": \"arn:aws:logs:ap-northeast-1:123456789012:log-group:*\"\n        }\n      }\n    }\n  ]\n}",
							"minified_json": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AccountAdministersKey\",\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"}},{\"Sid\":\"CloudWatchLogsUseKey\",\"Effect\":\"Allow\",\"Action\":[\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:Encrypt*\",\"kms:Describe*\",\"kms:Decrypt*\"],\"Resource\":\"*\",\"Principal\":{\"Service\":\"logs.ap-northeast-1.amazonaws.com\"},\"Condition\":{\"ArnLike\":{\"kms:EncryptionContext:aws:logs:arn\":\"arn:aws:logs:ap-northeast-1:123456789012:log-group:*\"}}}]}",
							"override_json": null,
							"override_policy_documents": null,
							"policy_id": null,
							"source_json": null,
							"source_policy_documents": null,
							"statement": [
								{
									"actions": [
										"kms:*",
									],
									"condition": [],
									"effect": "Allow",
									"not_actions": [],
									"not_principals": [],
									"not_resources": [],
									"principals": [
										{
											"identifiers": [
												"arn:aws:iam::123456789012:root",
											],
											"type": "AWS",
										},
									],
									"resources": [
										"*",
									],
									"sid": "AccountAdministersKey",
								},
								{
									"actions": [
										"kms:Decrypt*",
										"kms:Describe*",
										"kms:Encrypt*",
										"kms:GenerateDataKey*",
										"kms:ReEncrypt*",
									],
									"condition": [
										{
											"test": "ArnLike",
											"values": [
												"arn:aws:logs:ap-northeast-1:123456789012:log-group:*",
											],
											"variable": "kms:EncryptionContext:aws:logs:arn",
										},
									],
									"effect": "Allow",
									"not_actions": [],
									"not_principals": [],
									"not_resources": [],
									"principals": [
										{
											"identifiers": [
												"logs.ap-northeast-1.amazonaws.com",
											],
											"type": "Service",
										},
									],
									"resources": [
										"*",
									],
									"sid": "CloudWatchLogsUseKey",
								},
							],
							"version": "2012-10-17",
						},
						"sensitive_values": {
							"statement": [
								{
									"actions": [
										false,
									],
									"condition": [],
									"not_actions": [],
									"not_principals": [],
									"not_resources": [],
									"principals": [
										{
											"identifiers": [
												false,
											],
										},
									],
									"resources": [
										false,
									],
								},
								{
									"actions": [
										false,
										false,
										false,
										false,
										false,
									],
									"condition": [
										{
											"values": [
												false,
											],
										},
									],
									"not_actions": [],
									"not_principals": [],
									"not_resources": [],
									"principals": [
										{
											"identifiers": [
												false,
											],
										},
									],
									"resources": [
										false,
									],
								},
							],
						},
					},
					{
						"address": "data.aws_partition.account_partition_32ACE770",
						"mode": "data",
						"type": "aws_partition",
						"name": "account_partition_32ACE770",
						"provider_name": "registry.terraform.io/hashicorp/aws",
						"schema_version": 0,
						"values": {
							"dns_suffix": "amazonaws.com",
							"id": "aws",
							"partition": "aws",
							"reverse_dns_prefix": "com.amazonaws",
						},
						"sensitive_values": {},
					},
				],
			},
		},
	},
}
