import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deterministicZip, FunctionPackage } from "../constructs/function-package";
import { DatabaseBackup } from "../constructs/backup";
import { PythonFunction } from "../constructs/python-function";
import type { EnvName } from "../config";
import { DatabaseStack } from "../stacks/database-stack";
import { MonitoringStack } from "../stacks/monitoring-stack";
import { onlyEnv, testApp } from "./helpers/fake-outputs";
import { configFor, regionalStack, resources, synthJson, type TfJson } from "./helpers/synth";
import { scratchDir } from "./helpers/scratch";

// Only the two layers concerned, per environment (not the whole app): every test below reads them.
function layers(name: EnvName): { database: TfJson; monitoring: TfJson } {
  const config = configFor(name);
  const props = { config, env: onlyEnv(config) };
  const app = testApp();
  return { database: synthJson(new DatabaseStack(app, props)), monitoring: synthJson(new MonitoringStack(app, props)) };
}
const dev = layers("dev");
const staging = layers("staging");
const prod = layers("prod");

const values = (json: TfJson, type: string) => resources(json, type).map(([, b]) => b);
const one = (json: TfJson, type: string, name: string) => {
  const body = json.resource?.[type]?.[name];
  if (!body) throw new Error(`no ${type}.${name} in [${Object.keys(json.resource?.[type] ?? {}).join(", ")}]`);
  return body;
};
const doc = (json: TfJson, ref: string) => json.data!.aws_iam_policy_document[/data\.aws_iam_policy_document\.([^.]+)\.json/.exec(ref)![1]];
const network = (output: string) => `\${data.terraform_remote_state.network.outputs.${output}}`;
const database = (output: string) => `\${data.terraform_remote_state.database.outputs.${output}}`;
const account = "${data.aws_caller_identity.account_caller.account_id}";
const partition = "${data.aws_partition.account.partition}";
const python = spawnSync("python3", ["--version"]).status === 0 ? "python3" : undefined;

describe("rotation of markmail-<env>-db-secret", () => {
  const fn = one(dev.database, "aws_lambda_function", "db_rotation");

  test("a Python 3.12 function from functions/db-rotation, packaged at synth, in the private subnets with its own group", () => {
    expect(fn).toMatchObject({
      function_name: "markmail-dev-db-rotation",
      runtime: "python3.12",
      handler: "rotation.handler",
      architectures: ["arm64"],
      kms_key_arn: "${aws_kms_key.main.arn}",
      tracing_config: { mode: "Active" },
      environment: { variables: { ROTATION_STRATEGY: "alternating", ECS_CLUSTER: "markmail-dev", ECS_SERVICE: "markmail-dev-backend" } },
      vpc_config: { subnet_ids: network("private_subnet_ids"), security_group_ids: ["${aws_security_group.db_rotation.id}"] },
    });
    expect(fn.filename).toMatch(/^assets\/[a-z_]+\/[0-9a-f]{32}\/db-rotation\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([
        "aws_iam_role_policy.db_rotation_function_role_inline",
        "aws_cloudwatch_log_group.db_rotation_function_logs",
      ]),
    );
    expect(one(dev.database, "aws_cloudwatch_log_group", "db_rotation_function_logs")).toMatchObject({
      name: "/aws/lambda/markmail-dev-db-rotation",
      retention_in_days: 30,
      kms_key_id: "${aws_kms_key.main.arn}",
    });
  });

  test("the schedule comes from the config (rate(7 days) dev, rate(30 days) prod, 4 h from 09:00 JST); no rotation during the apply", () => {
    const [dr] = values(dev.database, "aws_secretsmanager_secret_rotation");
    const [pr] = values(prod.database, "aws_secretsmanager_secret_rotation");
    expect(dr).toMatchObject({
      secret_id: "${aws_secretsmanager_secret.db.arn}",
      rotation_lambda_arn: "${aws_lambda_function.db_rotation.arn}",
      rotation_rules: { schedule_expression: "rate(7 days)", duration: "4h" },
      rotate_immediately: false,
      // After the first value is written: rotating an empty secret fails (seen in the e2e as 25 s of retries).
      depends_on: ["aws_lambda_permission.db_rotation_invoke", "aws_secretsmanager_secret_version.db_secret_value"],
    });
    expect(pr.rotation_rules).toEqual({ schedule_expression: "rate(30 days)", duration: "4h" });
    expect(values(staging.database, "aws_secretsmanager_secret_rotation")[0].rotation_rules.schedule_expression).toBe("rate(14 days)");
  });

  test("only Secrets Manager, for this secret and this account, may invoke it", () => {
    expect(values(dev.database, "aws_lambda_permission")).toEqual([
      expect.objectContaining({
        action: "lambda:InvokeFunction",
        function_name: "markmail-dev-db-rotation",
        principal: "secretsmanager.amazonaws.com",
        source_account: account,
        source_arn: "${aws_secretsmanager_secret.db.arn}",
      }),
    ]);
  });

  test("least privilege: this secret through its key, this service's deployment, its own logs and ENIs", () => {
    const role = one(dev.database, "aws_iam_role", "db_rotation_function");
    expect(role.name).toBe("markmail-dev-db-rotation");
    expect(doc(dev.database, role.assume_role_policy).statement).toEqual([
      expect.objectContaining({
        principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
      }),
    ]);
    const policy = one(dev.database, "aws_iam_role_policy", "db_rotation_function_role_inline");
    const statements = Object.fromEntries(doc(dev.database, policy.policy).statement.map((s: any) => [s.sid, s]));
    expect(statements.RotateThisSecret).toMatchObject({
      actions: [
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "secretsmanager:UpdateSecretVersionStage",
      ],
      resources: ["${aws_secretsmanager_secret.db.arn}"],
    });
    expect(statements.SecretKeyThroughSecretsManager.resources).toEqual(["${aws_kms_key.main.arn}"]);
    expect(statements.SecretKeyThroughSecretsManager.condition).toContainEqual({
      test: "StringEquals",
      variable: "kms:ViaService",
      values: ["secretsmanager.ap-northeast-1.amazonaws.com"],
    });
    expect(statements.RedeployTheBackend).toMatchObject({
      actions: ["ecs:UpdateService"],
      resources: [`arn:${partition}:ecs:ap-northeast-1:${account}:service/markmail-dev/markmail-dev-backend`],
    });
    expect(statements.VpcNetworkInterfaces.resources).toContain(
      `arn:${partition}:ec2:ap-northeast-1:${account}:security-group/\${aws_security_group.db_rotation.id}`,
    );
    for (const s of Object.values(statements) as any[]) {
      if ((s.resources ?? []).includes("*"))
        expect(s.condition).toEqual([{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["ap-northeast-1"] }]);
      for (const a of s.actions) expect(a).not.toMatch(/\*/);
    }
  });

  test("network: PostgreSQL to the database group (which admits it) and HTTPS out; nothing in", () => {
    const egress = values(dev.database, "aws_vpc_security_group_egress_rule").filter(
      (r) => r.security_group_id === "${aws_security_group.db_rotation.id}",
    );
    expect(egress.map((r) => [r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4]).sort()).toEqual([
      [443, "0.0.0.0/0"],
      [5432, network("database_security_group_id")],
    ]);
    expect(values(dev.database, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({
        security_group_id: network("database_security_group_id"),
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: "${aws_security_group.db_rotation.id}",
      }),
    ]);
  });

  test("Terraform still writes the secret only through the write-only attribute, versioned", () => {
    const [version] = values(dev.database, "aws_secretsmanager_secret_version");
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toContain("ephemeral.aws_secretsmanager_random_password");
    expect(version.secret_string_wo_version).toBe(1);
  });
});

describe("the function package", () => {
  test("the same bytes from every build: sorted, stored, fixed timestamps; exactly the named files", () => {
    const build = () => {
      const stack = regionalStack("pkg");
      return new FunctionPackage(stack, "code", { source: "db-rotation", files: ["rotation.py", "pgwire.py"] });
    };
    const [a, b] = [build(), build()];
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.sourceCodeHash).toBe(createHash("sha256").update(a.bytes).digest("base64"));
    const fn = one(dev.database, "aws_lambda_function", "db_rotation");
    expect(fn.filename).toContain(`/${createHash("sha256").update(a.bytes).digest("hex").slice(0, 32)}/`);
  });

  (python ? test : test.skip)("a valid zip that Python (the Lambda runtime's zipimport) reads, with the handler importable", () => {
    const stack = regionalStack("pkg");
    const pkg = new FunctionPackage(stack, "code", { source: "db-rotation", files: ["rotation.py", "pgwire.py"] });
    const file = join(scratchDir("pkg"), "f.zip");
    writeFileSync(file, pkg.bytes);
    const script = [
      "import sys, zipfile",
      "z = zipfile.ZipFile(sys.argv[1])",
      "assert z.testzip() is None",
      "print(sorted(z.namelist()), sorted({i.date_time for i in z.infolist()}), sorted({oct(i.external_attr >> 16) for i in z.infolist()}))",
      "sys.path.insert(0, sys.argv[1]); import pgwire; print(pgwire.scram_verifier('x', salt=b'0' * 16)[:22])",
    ].join("\n");
    const r = spawnSync(python!, ["-c", script, file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toEqual([
      "['pgwire.py', 'rotation.py'] [(1980, 1, 1, 0, 0, 0)] ['0o100644']",
      "SCRAM-SHA-256$4096:MDA",
    ]);
  });

  test("refuses a missing file, a path outside the folder and an empty package", () => {
    const stack = regionalStack("pkg");
    expect(() => new FunctionPackage(stack, "a", { source: "db-rotation", files: ["missing.py"] })).toThrow(
      /functions\/db-rotation\/missing\.py does not exist/,
    );
    expect(() => new FunctionPackage(stack, "b", { source: "db-rotation", files: ["../secret-age/secret_age.py"] })).toThrow(
      /not a plain relative file name/,
    );
    expect(() => new FunctionPackage(stack, "c", { source: "db-rotation", files: [] })).toThrow(/no files/);
    expect(deterministicZip([]).length).toBe(22); // an empty archive is only the end record
  });

  test("a function refuses an environment variable that looks like a credential", () => {
    const stack = regionalStack("fn");
    const make = (environment: Record<string, string>) =>
      new PythonFunction(stack, `f${Object.keys(environment)[0]}`, {
        name: "markmail-dev-x",
        description: "x",
        source: "secret-age",
        files: ["secret_age.py"],
        handler: "secret_age.handler",
        environment,
        statements: [],
        vpc: { subnetIds: ["subnet-1"], securityGroupId: "sg-1" },
        kmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/x",
        logRetentionDays: 30,
      });
    expect(() => make({ DB_PASSWORD: "x" })).toThrow(/DB_PASSWORD looks like a credential/);
    expect(() => make({ WATCH: "markmail-dev-db-secret" })).not.toThrow();
  });
});

describe("AWS Backup of the database", () => {
  test("every environment: a vault with its own CMK, a daily plan with the configured retention, the cluster selected", () => {
    for (const [json, retention, env] of [
      [dev.database, 7, "dev"],
      [staging.database, 14, "staging"],
      [prod.database, 35, "prod"],
    ] as const) {
      expect(one(json, "aws_backup_vault", "main")).toMatchObject({
        name: `markmail-${env}-backup`,
        kms_key_arn: "${aws_kms_key.backup.arn}",
      });
      expect(one(json, "aws_kms_key", "backup")).toMatchObject({ enable_key_rotation: true });
      const [plan] = values(json, "aws_backup_plan");
      expect(plan.name).toBe(`markmail-${env}-aurora`);
      expect(plan.rule).toEqual([
        expect.objectContaining({
          rule_name: "daily",
          target_vault_name: "${aws_backup_vault.main.name}",
          schedule: "cron(0 20 * * ? *)",
          start_window: 60,
          completion_window: 360,
          lifecycle: { delete_after: retention },
        }),
      ]);
      expect(values(json, "aws_backup_selection")).toEqual([
        expect.objectContaining({
          plan_id: "${aws_backup_plan.main.id}",
          resources: ["${aws_rds_cluster.aurora.arn}"],
          iam_role_arn: "${aws_iam_role.backup.arn}",
        }),
      ]);
    }
  });

  test("the backup role: AWS Backup of this account, AWS's backup and restore policies, the vault keys", () => {
    const role = one(prod.database, "aws_iam_role", "backup");
    expect(doc(prod.database, role.assume_role_policy).statement[0]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
    });
    expect(
      values(prod.database, "aws_iam_role_policy_attachment")
        .filter((a) => a.role === "markmail-prod-backup")
        .map((a) => a.policy_arn.split("/").pop())
        .sort(),
    ).toEqual(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]);
    const inline = doc(prod.database, one(prod.database, "aws_iam_role_policy", "backup_role_inline").policy);
    expect(inline.statement[0].resources).toEqual([
      "${aws_kms_key.backup.arn}",
      "${aws_kms_key.main.arn}",
      "${aws_kms_key.backup_copy.arn}",
    ]);
    expect(inline.statement[1].condition).toEqual([{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }]);
  });

  test("prod: every recovery point copied to a vault with its own key in ap-northeast-3, kept 35 days", () => {
    expect(one(prod.database, "aws_backup_vault", "backup_copy")).toMatchObject({
      name: "markmail-prod-backup",
      region: "ap-northeast-3",
      kms_key_arn: "${aws_kms_key.backup_copy.arn}",
    });
    expect(one(prod.database, "aws_kms_key", "backup_copy")).toMatchObject({
      region: "ap-northeast-3",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(values(prod.database, "aws_kms_alias").find((a) => a.region === "ap-northeast-3")).toMatchObject({
      name: "alias/markmail-prod-backup-copy",
    });
    expect(values(prod.database, "aws_backup_plan")[0].rule[0].copy_action).toEqual([
      { destination_vault_arn: "${aws_backup_vault.backup_copy.arn}", lifecycle: { delete_after: 35 } },
    ]);
    for (const json of [dev.database, staging.database]) {
      expect(resources(json, "aws_backup_vault")).toHaveLength(1);
      expect(values(json, "aws_backup_plan")[0].rule[0].copy_action).toBeUndefined();
    }
  });

  test("prod: both vaults locked in compliance mode for the retention, changeable 7 days; vaults and keys survive a destroy", () => {
    const locks = values(prod.database, "aws_backup_vault_lock_configuration").map((l) => [
      l.backup_vault_name,
      l.min_retention_days,
      l.changeable_for_days,
      l.region,
    ]);
    expect(locks.sort()).toEqual([
      ["${aws_backup_vault.backup_copy.name}", 35, 7, "ap-northeast-3"],
      ["${aws_backup_vault.main.name}", 35, 7, undefined],
    ]);
    for (const [type, name] of [
      ["aws_backup_vault", "main"],
      ["aws_backup_vault", "backup_copy"],
      ["aws_kms_key", "backup"],
      ["aws_kms_key", "backup_copy"],
    ]) {
      expect(one(prod.database, type, name).lifecycle).toEqual({ prevent_destroy: true });
    }
    expect(resources(dev.database, "aws_backup_vault_lock_configuration")).toHaveLength(0);
    expect(one(dev.database, "aws_backup_vault", "main")).toMatchObject({ force_destroy: true });
    expect(one(dev.database, "aws_backup_vault", "main").lifecycle).toBeUndefined();
    expect(one(prod.database, "aws_backup_vault", "main").force_destroy).toBe(false);
  });

  test("restore tests (staging, prod): the newest snapshot of the week restored weekly into the database subnets, deleted after 1 h", () => {
    for (const [json, env] of [
      [staging.database, "staging"],
      [prod.database, "prod"],
    ] as const) {
      expect(values(json, "aws_backup_restore_testing_plan")).toEqual([
        expect.objectContaining({
          name: `markmail_${env}_restore_test`,
          schedule_expression: "cron(0 1 ? * MON *)",
          start_window_hours: 1,
          recovery_point_selection: [
            {
              algorithm: "LATEST_WITHIN_WINDOW",
              include_vaults: ["${aws_backup_vault.main.arn}"],
              recovery_point_types: ["SNAPSHOT"],
              selection_window_days: 7,
            },
          ],
        }),
      ]);
      expect(values(json, "aws_backup_restore_testing_selection")).toEqual([
        expect.objectContaining({
          restore_testing_plan_name: "${aws_backup_restore_testing_plan.main.name}",
          protected_resource_type: "Aurora",
          protected_resource_arns: ["${aws_rds_cluster.aurora.arn}"],
          validation_window_hours: 1,
          restore_metadata_overrides: {
            dbsubnetgroupname: network("db_subnet_group_name"),
            vpcsecuritygroupids: `\${jsonencode([${network("database_security_group_id").slice(2, -1)}])}`,
          },
        }),
      ]);
    }
    expect(resources(dev.database, "aws_backup_restore_testing_plan")).toHaveLength(0);
  });

  test("the database layer publishes what monitoring reads: vault, copy vault (prod), restore plan, rotation function", () => {
    expect(Object.keys(prod.database.output!)).toEqual(
      expect.arrayContaining([
        "backup_vault_name",
        "backup_vault_arn",
        "backup_copy_vault_arn",
        "restore_testing_plan_name",
        "db_rotation_function_name",
      ]),
    );
    expect(Object.keys(dev.database.output!)).not.toContain("backup_copy_vault_arn");
    expect(Object.keys(dev.database.output!)).not.toContain("restore_testing_plan_name");
  });

  test("a copy in the primary region is refused", () => {
    const stack = regionalStack("b");
    const settings = { ...configFor("prod").environments[0].backup, copy: { region: "ap-northeast-1", retentionDays: 35 } };
    expect(
      () =>
        new DatabaseBackup(stack, "backup", {
          name: "markmail-prod",
          settings,
          clusterArn: "arn:aws:rds:ap-northeast-1:123456789012:cluster:x",
          clusterKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/x",
          restoreInto: { dbSubnetGroupName: "g", securityGroupIds: ["sg-1"] },
          keyDeletionWindowDays: 30,
          protect: true,
        }),
    ).toThrow(/the copy must go to another region than ap-northeast-1/);
  });
});

describe("alarms: failed or missed backups and rotations, old secrets", () => {
  const rules = (json: TfJson) => Object.fromEntries(values(json, "aws_cloudwatch_event_rule").map((r) => [r.name, r]));
  const alarms = (json: TfJson) => Object.fromEntries(values(json, "aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name, a]));

  test("EventBridge: a failed backup job of this vault, a failed copy to this copy vault (prod), a failed Aurora restore (restore tests) reach the alarm topic", () => {
    const p = rules(prod.monitoring);
    expect(JSON.parse(p["markmail-prod-backup-job-failed"].event_pattern)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change"],
      detail: { state: ["FAILED", "ABORTED", "EXPIRED"], backupVaultName: [database("backup_vault_name")] },
    });
    expect(JSON.parse(p["markmail-prod-copy-job-failed"].event_pattern).detail).toEqual({
      state: ["FAILED", "ABORTED", "EXPIRED"],
      destinationBackupVaultArn: [database("backup_copy_vault_arn")],
    });
    expect(JSON.parse(p["markmail-prod-restore-job-failed"].event_pattern).detail).toEqual({
      status: ["FAILED", "ABORTED"],
      resourceType: ["Aurora"],
    });
    const topic = "${aws_sns_topic.alarm.arn}";
    const targets = values(prod.monitoring, "aws_cloudwatch_event_target").filter((t) => t.target_id === "alarm-topic");
    expect(targets.map((t) => t.arn)).toEqual([topic, topic, topic]);
    expect(Object.keys(rules(dev.monitoring)).sort()).toEqual(["markmail-dev-backup-job-failed", "markmail-dev-secret-age"]);
    expect(Object.keys(rules(staging.monitoring)).sort()).toEqual([
      "markmail-staging-backup-job-failed",
      "markmail-staging-restore-job-failed",
      "markmail-staging-secret-age",
    ]);
  });

  test("missed schedules alarm with missing data as breaching: no backup for 2 days, no restore test for 7", () => {
    const a = alarms(prod.monitoring);
    expect(a["markmail-prod-backup-missing"]).toMatchObject({
      namespace: "AWS/Backup",
      metric_name: "NumberOfBackupJobsCompleted",
      dimensions: { BackupVaultName: database("backup_vault_name") },
      statistic: "Sum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      period: 86400,
      evaluation_periods: 2,
      treat_missing_data: "breaching",
    });
    expect(a["markmail-prod-restore-test-missing"]).toMatchObject({
      metric_name: "NumberOfRestoreJobsCompleted",
      dimensions: { ResourceType: "Aurora" },
      evaluation_periods: 7,
      treat_missing_data: "breaching",
    });
    expect(alarms(dev.monitoring)["markmail-dev-restore-test-missing"]).toBeUndefined();
  });

  test("secret ages: the db secret alarms 2 days after a missed rotation, the others after secrets.maxAgeDays; a failed rotation step at once", () => {
    const limits = (json: TfJson, env: string) =>
      Object.fromEntries(
        Object.values(alarms(json))
          .filter((x: any) => x.namespace === "MarkMail/Secrets")
          .map((x: any) => [x.dimensions.ResourceName.replace(`markmail-${env}-`, ""), x.threshold]),
      );
    expect(limits(dev.monitoring, "dev")).toEqual({
      "db-secret": 9,
      "jwt-secret": 365,
      "salesforce-secret": 365,
      "stripe-secret": 365,
      "ai-secret": 365,
      dockerhub: 365,
    });
    expect(limits(prod.monitoring, "prod")).toEqual({
      "db-secret": 32,
      "jwt-secret": 180,
      "salesforce-secret": 180,
      "stripe-secret": 180,
      "ai-secret": 180,
      dockerhub: 180,
    });
    for (const x of Object.values(alarms(dev.monitoring)).filter((y: any) => y.namespace === "MarkMail/Secrets") as any[]) {
      expect(x).toMatchObject({
        metric_name: "DaysSinceChange",
        statistic: "Maximum",
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "breaching",
        period: 86400,
      });
    }
    expect(alarms(dev.monitoring)["markmail-dev-db-rotation-errors"]).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: database("db_rotation_function_name") },
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
    });
  });

  test("the age check: every six hours, metadata of the watched secrets only, its own namespace", () => {
    const fn = one(dev.monitoring, "aws_lambda_function", "secret_alarms_checker");
    expect(fn.environment.variables.WATCH.split(",")).toEqual(
      ["db-secret", "jwt-secret", "salesforce-secret", "stripe-secret", "ai-secret", "dockerhub"].map((s) => `markmail-dev-${s}`),
    );
    expect(fn.vpc_config.subnet_ids).toBe(network("private_subnet_ids"));
    expect(rules(dev.monitoring)["markmail-dev-secret-age"].schedule_expression).toBe("rate(6 hours)");
    const policy = doc(dev.monitoring, one(dev.monitoring, "aws_iam_role_policy", "secret_alarms_checker_role_inline").policy);
    const s = Object.fromEntries(policy.statement.map((x: any) => [x.sid, x]));
    expect(s.DescribeWatchedSecrets.actions).toEqual(["secretsmanager:DescribeSecret"]);
    expect(s.DescribeWatchedSecrets.resources).toContain(
      `arn:${partition}:secretsmanager:ap-northeast-1:${account}:secret:markmail-dev-stripe-secret-??????`,
    );
    expect(s.PublishTheAge.condition).toEqual([{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["MarkMail/Secrets"] }]);
    expect(values(dev.monitoring, "aws_lambda_permission")).toEqual([
      expect.objectContaining({ principal: "events.amazonaws.com", source_arn: "${aws_cloudwatch_event_rule.secret_alarms_schedule.arn}" }),
    ]);
  });
});
