import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { Construct } from "constructs";

export interface DataSubnetGroupsProps {
  /** `markmail-<env>`: the groups are `<prefix>-db` and `<prefix>-cache`. */
  readonly namePrefix: string;
  /** The isolated subnets (no route out). */
  readonly subnetIds: string[];
}

/** The DB and ElastiCache subnet groups on the isolated tier (terraform-aws-vpc's database/elasticache subnet groups). */
export class DataSubnetGroups extends Construct {
  readonly db: DbSubnetGroup;
  readonly cache: ElasticacheSubnetGroup;

  constructor(scope: Construct, id: string, props: DataSubnetGroupsProps) {
    super(scope, id);
    if (props.subnetIds.length < 2) throw new Error(`${props.namePrefix}: subnet groups need subnets in at least two AZs`);
    this.db = new DbSubnetGroup(this, "db", {
      name: `${props.namePrefix}-db`,
      description: `Isolated subnets of ${props.namePrefix} for Aurora`,
      subnetIds: props.subnetIds,
    });
    this.cache = new ElasticacheSubnetGroup(this, "cache", {
      name: `${props.namePrefix}-cache`,
      description: `Isolated subnets of ${props.namePrefix} for ElastiCache`,
      subnetIds: props.subnetIds,
    });
  }
}
