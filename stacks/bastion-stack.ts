import { Fn, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { APP } from "../config/contract";
import { BastionHost } from "../constructs/bastion";
import { CustomerKey } from "../constructs/kms-key";
import { DATABASE, NETWORK } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

/** `markmail-<env>-bastion` (CREATE_BASTION=true): a temporary SSM-only host for psql to Aurora. */
export class BastionStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "bastion", props);
    const network = this.upstream(NETWORK);
    const database = this.upstream(DATABASE);
    const region = this.config.region;
    const key = new CustomerKey(this, "bastion-key", {
      alias: this.name("bastion"),
      description: `${this.name()}: bastion root volume`,
      deletionWindowDays: this.env.keyDeletionWindowDays,
    });
    const bastion = new BastionHost(this, "bastion", {
      name: this.name("bastion"),
      subnetId: Fn.element(network.private_subnet_ids, 0),
      securityGroupId: network.bastion_security_group_id,
      instanceType: this.env.bastionInstanceType,
      kmsKeyArn: key.arn,
      sessionLogs: { logGroupName: database.bastion_session_log_group_name, logGroupArn: database.bastion_session_log_group_arn },
    });

    new TerraformOutput(this, "bastion_instance_id", {
      value: bastion.instance.id,
      description: `aws ssm start-session --target <this> --document-name ${bastion.sessionDocumentName} (a logged shell)`,
    });
    new TerraformOutput(this, "session_document", {
      value: bastion.sessionDocument.name,
      description: "The Session document of logged shell sessions",
    });
    new TerraformOutput(this, "db_port_forward_command", {
      description:
        "Forward localhost:5432 to the Aurora writer, then: psql -h localhost -U <username of markmail-<env>-db-secret> -d markmail",
      value:
        `aws ssm start-session --region ${region} --target ${bastion.instance.id} --document-name AWS-StartPortForwardingSessionToRemoteHost ` +
        `--parameters host=${database.cluster_endpoint},portNumber=${APP.dbPort},localPortNumber=${APP.dbPort}`,
    });
  }
}
