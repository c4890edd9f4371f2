/**
 * What each layer hands to the layers after it. Values are tokens; passing them through these
 * typed props makes cdktf wire `terraform_remote_state` between the stacks.
 */

export interface NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly isolatedSubnetIds: string[];
  readonly securityGroups: {
    readonly alb: string;
    readonly ecs: string;
    readonly database: string;
    readonly cache: string;
    readonly bastion: string;
  };
  readonly dbSubnetGroupName: string;
  readonly cacheSubnetGroupName: string;
}

export interface SecretRef {
  readonly arn: string;
  /** Physical name, `markmail-<env>-<suffix>`. */
  readonly name: string;
}

export interface DatabaseOutputs {
  readonly clusterIdentifier: string;
  /** The writer instance, `markmail-<env>` (the guide's describe-db-instances filter). */
  readonly writerInstanceIdentifier: string;
  readonly clusterEndpoint: string;
  readonly readerEndpoint: string;
  /** `markmail-<env>-db-secret`: username, password, engine, host, port, dbname, url. */
  readonly dbSecret: SecretRef;
  /** Customer-managed key of the database layer (storage, Performance Insights, db secret). */
  readonly kmsKeyArn: string;
  readonly redisPrimaryEndpoint: string;
  readonly redisReplicationGroupId: string;
}

export interface SecretsOutputs {
  /** Customer-managed key of the application secrets. */
  readonly kmsKeyArn: string;
  readonly jwt: SecretRef;
  readonly salesforce: SecretRef;
  readonly ai: SecretRef;
  readonly stripe: SecretRef;
  readonly dockerhub: SecretRef;
}

export interface AlbOutputs {
  readonly albArn: string;
  /** The CloudWatch `LoadBalancer` dimension (app/markmail-<env>-alb/<id>). */
  readonly albArnSuffix: string;
  readonly albDnsName: string;
  readonly albZoneId: string;
  readonly httpListenerArn: string;
  /** Only when the environment has a domain. */
  readonly httpsListenerArn?: string;
  readonly backendTargetGroupArn: string;
  readonly frontendTargetGroupArn: string;
  readonly backendTargetGroupArnSuffix: string;
  readonly frontendTargetGroupArnSuffix: string;
  /** The Route 53 zone of the domain, when there is one. */
  readonly hostedZoneId?: string;
  /** https://<domain> or http://<alb dns>. */
  readonly publicUrl: string;
}

export interface RepositoryRef {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
}

export interface EcsClusterOutputs {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly executionRoleArn: string;
  /** `markmail-<env>-task-role`, inline policy `SecretsManagerAccess`. */
  readonly taskRoleArn: string;
  readonly taskRoleName: string;
  readonly repositories: { readonly backend: RepositoryRef; readonly frontend: RepositoryRef };
  /** `/ecs/markmail-<env>-backend` and `/ecs/markmail-<env>-frontend`. */
  readonly logGroups: { readonly backend: string; readonly frontend: string };
  /** Customer-managed key of the cluster layer (logs, ECR, ECS Exec). */
  readonly kmsKeyArn: string;
}

export interface EcsOutputs {
  readonly backendServiceName: string;
  readonly frontendServiceName: string;
}

export interface MonitoringOutputs {
  readonly alarmTopicArn: string;
  readonly dashboardName: string;
  readonly sesConfigurationSetName: string;
  /** CMK of the alarm topic: whoever publishes to it (the pipeline's approval notice) needs kms:GenerateDataKey. */
  readonly alarmTopicKmsKeyArn: string;
}
