"""EC2, ElastiCache, RDS, IAM and CodeConnections patches against moto_ext and stock moto."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError


def attempt(call):
    try:
        return call(), None
    except (ClientError, ResponseParserError) as e:  # stock moto's 404 page is no CBOR
        return None, e


def test_aws_managed_policies_exist(server):
    iam = server.client("iam")
    got, _ = attempt(lambda: iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"))
    server.expect(got is not None, "AWS-managed policy AmazonSSMManagedInstanceCore found")


def test_group_rule_description_read_back(server):
    ec2 = server.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_security_group(GroupName="a", Description="a", VpcId=vpc)["GroupId"]
    b = ec2.create_security_group(GroupName="b", Description="b", VpcId=vpc)["GroupId"]
    rule = ec2.authorize_security_group_ingress(GroupId=a, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "UserIdGroupPairs": [{"GroupId": b, "Description": "PostgreSQL from the ECS tasks"}]}])["SecurityGroupRules"][0]
    got = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]])["SecurityGroupRules"][0]
    assert got["ReferencedGroupInfo"]["GroupId"] == b
    server.expect(got.get("Description") == "PostgreSQL from the ECS tasks", f"rule description read back (got {got.get('Description')})")


def test_run_instances_root_volume_settings_without_size(server):
    ec2 = server.client("ec2")
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]
    run, err = attempt(lambda: ec2.run_instances(
        ImageId=ami["ImageId"], MinCount=1, MaxCount=1, InstanceType="t3.micro",
        BlockDeviceMappings=[{"DeviceName": ami["RootDeviceName"],
                              "Ebs": {"Encrypted": True, "VolumeType": "gp3", "DeleteOnTermination": True}}]))
    server.expect(run is not None, f"RunInstances with root volume settings only (error {err})")
    if run:
        vol_id = run["Instances"][0]["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
        vol = ec2.describe_volumes(VolumeIds=[vol_id])["Volumes"][0]
        assert vol["Encrypted"] and vol["VolumeType"] == "gp3" and vol["Size"] > 0


def replication_group(ec, n: int = 1):
    return ec.create_replication_group(
        ReplicationGroupId="markmail-dev-cache", ReplicationGroupDescription="d", Engine="redis", EngineVersion="7.1",
        CacheNodeType="cache.t4g.micro", NumCacheClusters=n, TransitEncryptionEnabled=True, AtRestEncryptionEnabled=True,
        SecurityGroupIds=["sg-12345678"], PreferredMaintenanceWindow="sun:19:30-sun:20:30")["ReplicationGroup"]


def test_replication_group_member_clusters_exist(server):
    ec = server.client("elasticache")
    group = replication_group(ec)
    member = group["MemberClusters"][0]
    got, err = attempt(lambda: ec.describe_cache_clusters(CacheClusterId=member, ShowCacheNodeInfo=True)["CacheClusters"][0])
    server.expect(got is not None, f"DescribeCacheClusters {member} (error {err})")
    if got:
        assert got["ReplicationGroupId"] == "markmail-dev-cache"
        assert got["AtRestEncryptionEnabled"] and got["TransitEncryptionEnabled"]
        assert got["SecurityGroups"] == [{"SecurityGroupId": "sg-12345678", "Status": "active"}]
        assert got["PreferredMaintenanceWindow"] == "sun:19:30-sun:20:30"
        assert got["CacheParameterGroup"]["CacheParameterGroupName"] == "default.redis7"


def test_replication_group_num_cache_clusters(server):
    group = replication_group(server.client("elasticache"), 2)
    server.expect(len(group["MemberClusters"]) == 2, f"NumCacheClusters=2 makes 2 members (got {group['MemberClusters']})")


def test_replication_group_delete_removes_it(server):
    ec = server.client("elasticache")
    replication_group(ec)
    ec.delete_replication_group(ReplicationGroupId="markmail-dev-cache")
    _, err = attempt(lambda: ec.describe_replication_groups(ReplicationGroupId="markmail-dev-cache"))
    server.expect(err is not None and err.response["Error"]["Code"] == "ReplicationGroupNotFoundFault", "group gone after delete")


def test_rds_performance_insights_read_back(server):
    rds = server.client("rds")
    rds.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", EngineVersion="16.6",
                          MasterUsername="markmail", MasterUserPassword="password-123")
    rds.create_db_instance(DBInstanceIdentifier="markmail-dev", DBClusterIdentifier="c", Engine="aurora-postgresql",
                           DBInstanceClass="db.t4g.medium", EnablePerformanceInsights=True,
                           PerformanceInsightsKMSKeyId="arn:aws:kms:ap-northeast-1:123456789012:key/k",
                           PerformanceInsightsRetentionPeriod=7)
    db = rds.describe_db_instances(DBInstanceIdentifier="markmail-dev")["DBInstances"][0]
    got = (db.get("PerformanceInsightsEnabled"), db.get("PerformanceInsightsKMSKeyId"), db.get("PerformanceInsightsRetentionPeriod"))
    server.expect(got == (True, "arn:aws:kms:ap-northeast-1:123456789012:key/k", 7), f"Performance Insights read back (got {got})")


def test_connections(server):
    service = "codestar-connections"  # what aws_codestarconnections_connection calls
    c = server.client(service)
    created, err = attempt(lambda: c.create_connection(ConnectionName="markmail-dev-github", ProviderType="GitHub",
                                                       Tags=[{"Key": "Env", "Value": "dev"}]))
    server.expect(created is not None, f"{service} CreateConnection (error {err})")
    if not created:
        return
    arn = created["ConnectionArn"]
    got = c.get_connection(ConnectionArn=arn)["Connection"]
    assert (got["ConnectionName"], got["ConnectionStatus"], got["ProviderType"]) == ("markmail-dev-github", "PENDING", "GitHub")
    c.tag_resource(ResourceArn=arn, Tags=[{"Key": "Layer", "Value": "pipeline"}])
    c.untag_resource(ResourceArn=arn, TagKeys=["Env"])
    assert c.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "Layer", "Value": "pipeline"}]
    assert [x["ConnectionArn"] for x in c.list_connections()["Connections"]] == [arn]
    c.delete_connection(ConnectionArn=arn)
    with pytest.raises(ClientError) as e:
        c.get_connection(ConnectionArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError):
        c.create_connection(ConnectionName="x", ProviderType="NoSuchProvider")


def test_inventory_lists_what_was_created(ext):
    import ssl
    import urllib.request

    ext.client("ec2").create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "markmail-dev-vpc"}]}])
    ext.client("sns").create_topic(Name="markmail-dev-alarms")
    with urllib.request.urlopen(f"{ext.endpoint}/moto-ext/inventory",
                                context=ssl.create_default_context(cafile=ext.ca), timeout=30) as r:
        labels = [o["label"] for o in json.loads(r.read())]
    assert any("markmail-dev-vpc" in x for x in labels)
    assert any("markmail-dev-alarms" in x for x in labels)


def test_scalable_target_tags(server):
    ecs = server.client("ecs")
    ecs.create_cluster(clusterName="markmail-dev")
    td = ecs.register_task_definition(family="backend", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 256}])
    ecs.create_service(cluster="markmail-dev", serviceName="markmail-dev-backend", desiredCount=1,
                       taskDefinition=td["taskDefinition"]["taskDefinitionArn"])
    aas = server.client("application-autoscaling")
    aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/markmail-dev/markmail-dev-backend",
                                 ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=4,
                                 Tags={"Layer": "ecs"})
    arn = aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"][0]["ScalableTargetARN"]
    got, err = attempt(lambda: aas.list_tags_for_resource(ResourceARN=arn)["Tags"])
    server.expect(got == {"Layer": "ecs"}, f"ListTagsForResource of a scalable target (got {got}, error {err})")
    if got is not None:
        aas.tag_resource(ResourceARN=arn, Tags={"Env": "dev"})
        aas.untag_resource(ResourceARN=arn, TagKeys=["Layer"])
        assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Env": "dev"}
        with pytest.raises(ClientError) as e:
            aas.list_tags_for_resource(ResourceARN=arn.rsplit("/", 1)[0] + "/nosuchtarget")
        assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_rds_default_ca_is_aws_current_default(server):
    rds = server.client("rds")
    rds.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", EngineVersion="16.6",
                          MasterUsername="markmail", MasterUserPassword="password-123")
    db = rds.create_db_instance(DBInstanceIdentifier="w", DBClusterIdentifier="c", Engine="aurora-postgresql",
                                DBInstanceClass="db.t4g.medium")["DBInstance"]
    server.expect(db["CACertificateIdentifier"] == "rds-ca-rsa2048-g1", f"default CA (got {db['CACertificateIdentifier']})")


def test_cloudwatch_over_rpc_v2_cbor(server, tmp_path):
    # The Go SDK in the provider calls CloudWatch with Smithy RPC v2 CBOR (botocore prefers JSON).
    cw = server.cbor_client("cloudwatch", tmp_path)
    body = json.dumps({"widgets": [{"type": "metric", "properties": {"metrics": [["AWS/ECS", "CPUUtilization"]]}}]})
    put, err = attempt(lambda: cw.put_dashboard(DashboardName="MarkMail-dev", DashboardBody=body))
    server.expect(put is not None, f"PutDashboard over CBOR (error {err})")
    if put is None:
        return
    assert json.loads(cw.get_dashboard(DashboardName="MarkMail-dev")["DashboardBody"]) == json.loads(body)
    cw.put_metric_alarm(AlarmName="markmail-dev-backend-cpu-high", MetricName="CPUUtilization", Namespace="AWS/ECS",
                        Statistic="Average", Period=300, EvaluationPeriods=2, Threshold=80.0,
                        ComparisonOperator="GreaterThanOrEqualToThreshold",
                        Dimensions=[{"Name": "ClusterName", "Value": "markmail-dev"}], Tags=[{"Key": "Env", "Value": "dev"}])
    alarm = cw.describe_alarms(AlarmNames=["markmail-dev-backend-cpu-high"])["MetricAlarms"][0]
    assert alarm["Threshold"] == 80.0 and alarm["Dimensions"] == [{"Name": "ClusterName", "Value": "markmail-dev"}]
    assert alarm["AlarmConfigurationUpdatedTimestamp"].year >= 2024  # a CBOR timestamp (tag 1) decoded
    assert cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"] == [{"Key": "Env", "Value": "dev"}]
    with pytest.raises(ClientError) as e:
        cw.get_dashboard(DashboardName="nope")
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"


def test_codebuild_project_for_codepipeline(server):
    iam = server.client("iam")
    role = iam.create_role(RoleName="markmail-dev-codebuild", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    cb = server.client("codebuild")
    got, err = attempt(lambda: cb.create_project(
        name="markmail-dev-backend-build", source={"type": "CODEPIPELINE", "buildspec": "version: 0.2"},
        artifacts={"type": "CODEPIPELINE"}, serviceRole=role,
        environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"}))
    server.expect(got is not None, f"CreateProject with CODEPIPELINE source and artifacts (error {err})")
    if got:
        with pytest.raises(ClientError):  # a repository source still needs its location
            cb.create_project(name="no-location", source={"type": "GITHUB"}, artifacts={"type": "NO_ARTIFACTS"}, serviceRole=role,
                              environment={"type": "LINUX_CONTAINER", "image": "i", "computeType": "BUILD_GENERAL1_SMALL"})


def test_monitor_instances(server):
    ec2 = server.client("ec2")
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    got, err = attempt(lambda: ec2.monitor_instances(InstanceIds=[iid])["InstanceMonitorings"])
    server.expect(got == [{"InstanceId": iid, "Monitoring": {"State": "enabled"}}], f"MonitorInstances (got {got}, error {err})")
    if got:
        state = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["Monitoring"]["State"]
        assert state == "enabled"
        ec2.unmonitor_instances(InstanceIds=[iid])
        assert ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["Monitoring"]["State"] == "disabled"


def test_sesv2_configuration_set_sending_options(server):
    ses = server.client("sesv2")
    ses.create_configuration_set(ConfigurationSetName="markmail-dev", SendingOptions={"SendingEnabled": True},
                                 ReputationOptions={"ReputationMetricsEnabled": True},
                                 SuppressionOptions={"SuppressedReasons": ["BOUNCE", "COMPLAINT"]})
    got = ses.get_configuration_set(ConfigurationSetName="markmail-dev")["SendingOptions"]
    server.expect(got == {"SendingEnabled": True}, f"SendingOptions read back (got {got})")


def pipeline(server):
    iam = server.client("iam")
    role = iam.create_role(RoleName="markmail-dev-pipeline", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    cp = server.client("codepipeline")
    cp.create_pipeline(pipeline={"name": "markmail-dev-pipeline", "roleArn": role,
                                 "artifactStore": {"type": "S3", "location": "artifacts"}, "stages": [
        {"name": "Source", "actions": [{"name": "App", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
                                        "configuration": {"S3Bucket": "b", "S3ObjectKey": "k"}, "outputArtifacts": [{"name": "src"}]}]},
        {"name": "Build", "actions": [{"name": "Backend", "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
                                       "configuration": {"ProjectName": "p"}, "inputArtifacts": [{"name": "src"}]}]}]})
    return cp


def test_codepipeline_timestamps_are_epoch_numbers(server):
    cp = pipeline(server)
    raw = {}
    cp.meta.events.register("before-parse.codepipeline.GetPipeline", lambda **kw: raw.update(body=kw["response_dict"]["body"]))
    cp.get_pipeline(name="markmail-dev-pipeline")
    created = json.loads(raw["body"])["metadata"]["created"]
    server.expect(isinstance(created, (int, float)), f"metadata.created is an epoch number (got {created!r})")


def test_codepipeline_get_pipeline_state(server):
    cp = pipeline(server)
    got, err = attempt(lambda: cp.get_pipeline_state(name="markmail-dev-pipeline"))
    server.expect(got is not None, f"GetPipelineState (error {err})")
    if got:
        assert [s["stageName"] for s in got["stageStates"]] == ["Source", "Build"]
        run = cp.start_pipeline_execution(name="markmail-dev-pipeline")["pipelineExecutionId"]
        state = cp.get_pipeline_state(name="markmail-dev-pipeline")["stageStates"][1]
        assert state["latestExecution"] == {"pipelineExecutionId": run, "status": "Succeeded"}
        with pytest.raises(ClientError) as e:
            cp.get_pipeline_state(name="nope")
        assert e.value.response["Error"]["Code"] == "PipelineNotFoundException"


def test_provisioned_cluster_has_no_scaling_configuration(server):
    rds = server.client("rds")
    rds.create_db_cluster(DBClusterIdentifier="markmail-dev-cluster", Engine="aurora-postgresql", EngineVersion="16.6",
                          MasterUsername="markmail", MasterUserPassword="password-123")
    cluster = rds.describe_db_clusters(DBClusterIdentifier="markmail-dev-cluster")["DBClusters"][0]
    server.expect("ScalingConfigurationInfo" not in cluster, f"no ScalingConfigurationInfo (got {cluster.get('ScalingConfigurationInfo')})")


def test_ecs_service_keeps_capacity_provider_strategy_and_deployment_configuration(server):
    ecs = server.client("ecs")
    ecs.create_cluster(clusterName="markmail-dev")
    td = ecs.register_task_definition(family="backend", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 256}])
    strategy = [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]
    deployment = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 200, "minimumHealthyPercent": 100}
    ecs.create_service(cluster="markmail-dev", serviceName="markmail-dev-backend", desiredCount=1,
                       taskDefinition=td["taskDefinition"]["taskDefinitionArn"], capacityProviderStrategy=strategy,
                       deploymentConfiguration=deployment, enableExecuteCommand=True, healthCheckGracePeriodSeconds=60)
    svc = ecs.describe_services(cluster="markmail-dev", services=["markmail-dev-backend"])["services"][0]
    got = (svc.get("capacityProviderStrategy"), svc.get("launchType"), svc.get("enableExecuteCommand"),
           (svc.get("deploymentConfiguration") or {}).get("deploymentCircuitBreaker"))
    server.expect(got == (strategy, None, True, {"enable": True, "rollback": True}), f"service read back (got {got})")


def test_codebuild_project_encryption_key(server):
    iam = server.client("iam")
    role = iam.create_role(RoleName="cb", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    key = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    cb = server.client("codebuild")
    cb.create_project(name="markmail-dev-backend-build", source={"type": "S3", "location": "bucket/src.zip"},
                      artifacts={"type": "NO_ARTIFACTS"}, serviceRole=role, encryptionKey=key,
                      environment={"type": "LINUX_CONTAINER", "image": "i", "computeType": "BUILD_GENERAL1_SMALL"})
    got = cb.batch_get_projects(names=["markmail-dev-backend-build"])["projects"][0]["encryptionKey"]
    server.expect(got == key, f"encryptionKey read back (got {got})")


def test_no_public_ip_when_the_interface_says_false(server):
    ec2 = server.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", NetworkInterfaces=[
        {"DeviceIndex": 0, "SubnetId": subnet, "AssociatePublicIpAddress": False}])["Instances"][0]
    described = ec2.describe_instances(InstanceIds=[inst["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert described.get("PublicIpAddress") is None
    got = described["NetworkInterfaces"][0].get("Association")
    server.expect(got is None, f"no Association without a public IP (got {got!r})")


def test_sesv2_domain_identity_dkim_tokens_and_epoch_timestamp(server):
    ses = server.client("sesv2")
    raw = {}
    ses.meta.events.register("before-parse.sesv2.GetEmailIdentity", lambda **kw: raw.update(body=kw["response_dict"]["body"]))
    ses.create_email_identity(EmailIdentity="dev.markmail.example.com", DkimSigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"})
    dkim = ses.get_email_identity(EmailIdentity="dev.markmail.example.com")["DkimAttributes"]
    stamp = json.loads(raw["body"])["DkimAttributes"].get("LastKeyGenerationTimestamp")
    server.expect(len(dkim.get("Tokens", [])) == 3 and isinstance(stamp, (int, float)),
                  f"3 DKIM tokens and an epoch timestamp (got {dkim.get('Tokens')}, {stamp!r})")


def test_sesv2_event_destinations(server):
    ses = server.client("sesv2")
    ses.create_configuration_set(ConfigurationSetName="markmail-dev")
    dest = {"Enabled": True, "MatchingEventTypes": ["BOUNCE"],
            "SnsDestination": {"TopicArn": "arn:aws:sns:ap-northeast-1:123456789012:markmail-dev-bounces"}}
    got, err = attempt(lambda: ses.create_configuration_set_event_destination(
        ConfigurationSetName="markmail-dev", EventDestinationName="bounce", EventDestination=dest))
    server.expect(got is not None, f"CreateConfigurationSetEventDestination (error {err})")
    if got is None:
        return
    assert ses.get_configuration_set_event_destinations(ConfigurationSetName="markmail-dev")["EventDestinations"] == [
        {"Name": "bounce", **dest}]
    ses.update_configuration_set_event_destination(ConfigurationSetName="markmail-dev", EventDestinationName="bounce",
                                                    EventDestination={**dest, "Enabled": False})
    assert not ses.get_configuration_set_event_destinations(ConfigurationSetName="markmail-dev")["EventDestinations"][0]["Enabled"]
    ses.delete_configuration_set_event_destination(ConfigurationSetName="markmail-dev", EventDestinationName="bounce")
    assert ses.get_configuration_set_event_destinations(ConfigurationSetName="markmail-dev")["EventDestinations"] == []
    with pytest.raises(ClientError):
        ses.delete_configuration_set_event_destination(ConfigurationSetName="markmail-dev", EventDestinationName="bounce")


def test_delete_cache_subnet_group(server):
    ec2, ec = server.client("ec2"), server.client("elasticache")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ec.create_cache_subnet_group(CacheSubnetGroupName="markmail-dev-cache", CacheSubnetGroupDescription="d", SubnetIds=[subnet])
    _, err = attempt(lambda: ec.delete_cache_subnet_group(CacheSubnetGroupName="markmail-dev-cache"))
    server.expect(err is None, f"DeleteCacheSubnetGroup (error {err})")
    if err is None:
        with pytest.raises(ClientError):
            ec.describe_cache_subnet_groups(CacheSubnetGroupName="markmail-dev-cache")


def test_backup_selection_and_restore_testing(server):
    backup = server.client("backup")
    plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "v"}]})["BackupPlanId"]
    sel, err = attempt(lambda: backup.create_backup_selection(
        BackupPlanId=plan, BackupSelection={"SelectionName": "aurora", "IamRoleArn": "arn:aws:iam::123456789012:role/b", "Resources": ["arn:aws:rds:ap-northeast-1:123456789012:cluster:c"]}))
    server.expect(sel is not None, f"CreateBackupSelection works ({err})")
    if sel is None:
        return
    got = backup.get_backup_selection(BackupPlanId=plan, SelectionId=sel["SelectionId"])
    assert got["BackupSelection"]["Resources"] == ["arn:aws:rds:ap-northeast-1:123456789012:cluster:c"]
    assert [s["SelectionName"] for s in backup.list_backup_selections(BackupPlanId=plan)["BackupSelectionsList"]] == ["aurora"]
    created = backup.create_restore_testing_plan(
        RestoreTestingPlan={"RestoreTestingPlanName": "t", "ScheduleExpression": "cron(0 1 ? * MON *)",
                            "RecoveryPointSelection": {"Algorithm": "LATEST_WITHIN_WINDOW", "IncludeVaults": ["*"], "RecoveryPointTypes": ["SNAPSHOT"]}},
        Tags={"Environment": "prod"})
    assert backup.get_restore_testing_plan(RestoreTestingPlanName="t")["RestoreTestingPlan"]["ScheduleExpression"] == "cron(0 1 ? * MON *)"
    assert backup.list_tags(ResourceArn=created["RestoreTestingPlanArn"])["Tags"] == {"Environment": "prod"}
    backup.create_restore_testing_selection(RestoreTestingPlanName="t", RestoreTestingSelection={
        "RestoreTestingSelectionName": "aurora", "IamRoleArn": "arn:aws:iam::123456789012:role/b", "ProtectedResourceType": "Aurora",
        "ProtectedResourceArns": ["arn:aws:rds:ap-northeast-1:123456789012:cluster:c"]})
    got = backup.get_restore_testing_selection(RestoreTestingPlanName="t", RestoreTestingSelectionName="aurora")["RestoreTestingSelection"]
    assert got["ProtectedResourceType"] == "Aurora"
    backup.delete_restore_testing_selection(RestoreTestingPlanName="t", RestoreTestingSelectionName="aurora")
    backup.delete_restore_testing_plan(RestoreTestingPlanName="t")
    backup.delete_backup_selection(BackupPlanId=plan, SelectionId=sel["SelectionId"])
    with pytest.raises(ClientError):
        backup.get_backup_selection(BackupPlanId=plan, SelectionId=sel["SelectionId"])


def test_sesv2_mail_from_attributes(server):
    ses = server.client("sesv2")
    ses.create_email_identity(EmailIdentity="mailfrom.example.com")
    put, err = attempt(lambda: ses.put_email_identity_mail_from_attributes(
        EmailIdentity="mailfrom.example.com", MailFromDomain="mail.mailfrom.example.com", BehaviorOnMxFailure="USE_DEFAULT_VALUE"))
    server.expect(put is not None, f"PutEmailIdentityMailFromAttributes works ({err})")
    if put is None:
        return
    got = ses.get_email_identity(EmailIdentity="mailfrom.example.com")["MailFromAttributes"]
    assert got == {"MailFromDomain": "mail.mailfrom.example.com", "MailFromDomainStatus": "PENDING", "BehaviorOnMxFailure": "USE_DEFAULT_VALUE"}
    ses.put_email_identity_mail_from_attributes(EmailIdentity="mailfrom.example.com")
    assert "MailFromAttributes" not in ses.get_email_identity(EmailIdentity="mailfrom.example.com")


def test_backup_tags_read_back_and_recovery_points(server):
    backup = server.client("backup")
    arn = backup.create_backup_vault(BackupVaultName="tagged", BackupVaultTags={"Environment": "dev"})["BackupVaultArn"]
    # The Go SDK's path has no trailing slash (botocore adds one, which stock moto needs).
    from botocore.awsrequest import AWSRequest  # noqa: F401  (documentation of the shape only)
    raw = {}
    backup.meta.events.register("before-send.backup.ListTags", lambda request, **kw: raw.update(url=request.url) or setattr(request, "url", request.url.rstrip("/")))
    got = backup.list_tags(ResourceArn=arn)["Tags"]
    server.expect(got == {"Environment": "dev"}, f"ListTags without a trailing slash reads the vault's tags (got {got})")
    points, err = attempt(lambda: backup.list_recovery_points_by_backup_vault(BackupVaultName="tagged"))
    server.expect(points is not None and points["RecoveryPoints"] == [], f"ListRecoveryPointsByBackupVault answers ({err})")
