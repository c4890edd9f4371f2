import { App, Testing } from "cdktf";
import { AppConfig, EnvironmentConfig, EnvName } from "../../config";
import {
  AlbOutputs,
  DatabaseOutputs,
  EcsClusterOutputs,
  EcsOutputs,
  MonitoringOutputs,
  NetworkOutputs,
  SecretsOutputs,
} from "../../stacks/contracts";

const ACCOUNT = "111122223333";
const REGION = "ap-northeast-1";

/**
 * Hand-made layer outputs with literal values, so a later layer can be synthesized on its own
 * (and before the earlier layers exist). Names follow the contracts' documented forms.
 */
export function fakeOutputs(env: EnvName, opts: { hostedZone?: boolean } = {}) {
  const p = `markmail-${env}`;
  const network: NetworkOutputs = {
    vpcId: "vpc-0fake",
    vpcCidr: "10.10.0.0/16",
    publicSubnetIds: ["subnet-0pub1", "subnet-0pub2"],
    privateSubnetIds: ["subnet-0priv1", "subnet-0priv2"],
    isolatedSubnetIds: ["subnet-0iso1", "subnet-0iso2"],
    securityGroups: { alb: "sg-0alb", ecs: "sg-0ecs", database: "sg-0db", cache: "sg-0cache", bastion: "sg-0bastion" },
    dbSubnetGroupName: `${p}-db`,
    cacheSubnetGroupName: `${p}-cache`,
  };
  const secret = (suffix: string) => ({ name: `${p}-${suffix}`, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${p}-${suffix}-AbCdEf` });
  const database: DatabaseOutputs = {
    clusterIdentifier: p,
    writerInstanceIdentifier: p,
    clusterEndpoint: `${p}.cluster-cfake.${REGION}.rds.amazonaws.com`,
    readerEndpoint: `${p}.cluster-ro-cfake.${REGION}.rds.amazonaws.com`,
    dbSecret: secret("db-secret"),
    kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/db-key`,
    redisPrimaryEndpoint: `master.${p}.fake.cache.amazonaws.com`,
    redisReplicationGroupId: p,
  };
  const secrets: SecretsOutputs = {
    kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/secrets-key`,
    jwt: secret("jwt-secret"),
    salesforce: secret("salesforce-secret"),
    ai: secret("ai-secret"),
    stripe: secret("stripe-secret"),
    dockerhub: secret("dockerhub"),
  };
  const alb: AlbOutputs = {
    albArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${p}-alb/0123456789abcdef`,
    albArnSuffix: `app/${p}-alb/0123456789abcdef`,
    albDnsName: `${p}-alb-123.${REGION}.elb.amazonaws.com`,
    albZoneId: "Z14GRHDCWA56QT",
    httpListenerArn: "arn:aws:elasticloadbalancing:listener/http",
    backendTargetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${p}-backend/aaaa`,
    frontendTargetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${p}-frontend/bbbb`,
    backendTargetGroupArnSuffix: `targetgroup/${p}-backend/aaaa`,
    frontendTargetGroupArnSuffix: `targetgroup/${p}-frontend/bbbb`,
    hostedZoneId: opts.hostedZone ? "Z0FAKEZONE" : undefined,
    publicUrl: `http://${p}-alb-123.${REGION}.elb.amazonaws.com`,
  };
  const repo = (svc: string) => ({ name: `${p}-${svc}`, arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${p}-${svc}`, url: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${p}-${svc}` });
  const cluster: EcsClusterOutputs = {
    clusterName: p,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${p}`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${p}-execution-role`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${p}-task-role`,
    taskRoleName: `${p}-task-role`,
    repositories: { backend: repo("backend"), frontend: repo("frontend") },
    logGroups: { backend: `/ecs/${p}-backend`, frontend: `/ecs/${p}-frontend` },
    kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/cluster-key`,
  };
  const ecs: EcsOutputs = { backendServiceName: `${p}-backend`, frontendServiceName: `${p}-frontend` };
  const monitoring: MonitoringOutputs = {
    alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${p}-alarms`,
    dashboardName: `MarkMail-${env}`,
    sesConfigurationSetName: p,
    alarmTopicKmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/monitoring-key`,
  };
  return { network, database, secrets, alb, cluster, ecs, monitoring };
}

/** The single environment of a config built with configFor(). */
export function onlyEnv(config: AppConfig): EnvironmentConfig {
  if (config.environments.length !== 1) throw new Error(`expected one environment, got ${config.environments.length}`);
  return config.environments[0];
}

/** A fresh test app. */
export function testApp(): App {
  return Testing.app() as App;
}
