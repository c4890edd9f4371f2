import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { APP } from "../config/contract";
import { BastionHost } from "../constructs/bastion";
import { CustomerKey } from "../constructs/kms-key";
import { DatabaseOutputs, NetworkOutputs } from "./contracts";
import { LayerProps, LayerStack } from "./base";

export interface BastionStackProps extends LayerProps {
  readonly network: NetworkOutputs;
  readonly database: DatabaseOutputs;
}

/** `markmail-<env>-bastion` (CREATE_BASTION=true): a temporary SSM-only host for psql to Aurora. */
export class BastionStack extends LayerStack {
  readonly outputs: { readonly instanceName: string; readonly instanceId: string };

  constructor(scope: Construct, props: BastionStackProps) {
    super(scope, "bastion", props);
    const region = this.config.region;
    const key = new CustomerKey(this, "key", {
      alias: this.name("bastion"),
      description: `${this.name()}: bastion root volume`,
      region,
      deletionWindowDays: this.env.forceDestroy ? 7 : 30,
    });
    const bastion = new BastionHost(this, "bastion", {
      name: this.name("bastion"),
      region,
      subnetId: props.network.privateSubnetIds[0],
      securityGroupId: props.network.securityGroups.bastion,
      instanceType: this.env.bastionInstanceType,
      kmsKeyArn: key.arn,
    });

    new TerraformOutput(this, "bastion_instance_id", { value: bastion.instance.id, description: "aws ssm start-session --target <this>" });
    new TerraformOutput(this, "db_port_forward_command", {
      description: "Forward localhost:5432 to the Aurora writer, then: psql -h localhost -U markmail -d markmail",
      value:
        `aws ssm start-session --region ${region} --target ${bastion.instance.id} --document-name AWS-StartPortForwardingSessionToRemoteHost ` +
        `--parameters host=${props.database.clusterEndpoint},portNumber=${APP.dbPort},localPortNumber=${APP.dbPort}`,
    });
    this.outputs = { instanceName: bastion.name, instanceId: bastion.instance.id };
  }
}
