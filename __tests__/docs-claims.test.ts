// What the guides state about the stacks (settings, not only names) is what the stacks build.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildEnvironment, ENVIRONMENTS } from "../config";
import { DEFAULTS } from "../config/defaults";
import { SECRETS } from "../config/contract";
import { GUIDES } from "../scripts/graph";
import { AlbStack } from "../stacks/alb-stack";
import { onlyEnv, testApp } from "./helpers/fake-outputs";
import { configFor, deref, synthJson } from "./helpers/synth";
import { ROOT } from "./helpers/doc-reader";
import { appFacts, bodies, attr, known, flat } from "./helpers/doc-checks";

describe("what the guides state about the stacks", () => {
  const facts = appFacts();
  const [en, ja] = GUIDES.map((g) => flat(readFileSync(join(ROOT, g), "utf8")));
  const dev = (type: string) => (facts.byType.get(type) ?? []).filter(({ stack }) => stack.startsWith("markmail-dev-"));

  test("the alarm table lists exactly the alarms of the monitoring stack", () => {
    const built = [...known(facts, "alarm")]
      .filter((n) => n.startsWith("markmail-dev-"))
      .map((n) => n.replace("markmail-dev-", "markmail-<env>-"));
    for (const text of [en, ja]) {
      const section = text.slice(text.indexOf("### 12.2"), text.indexOf("### 12.3"));
      const listed = [...section.matchAll(/`(markmail-<env>-[a-z0-9-]+)`/g)].map((m) => m[1]).filter((n) => n !== "markmail-<env>-alarms");
      expect([...new Set(listed)].sort()).toEqual(built.sort());
    }
  });

  test("routing table and health checks are the ones the ALB layer builds", () => {
    const rules = dev("aws_lb_listener_rule");
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const { body, json } of rules) {
      const tg = deref(json, body.action[0].target_group_arn);
      const path = body.condition[0].path_pattern.values[0];
      const row = `| ${body.priority} | \`${path}\` | \`${tg.name.replace("markmail-dev-", "markmail-<env>-")}\` |`;
      expect(en).toContain(row);
      expect(ja).toContain(row);
    }
    const backend = dev("aws_lb_target_group").find(({ body }) => body.name === "markmail-dev-backend")!.body.health_check;
    expect(en).toContain(
      `path \`${backend.path}\`, every ${backend.interval} s, timeout ${backend.timeout} s, healthy after ${backend.healthy_threshold} successes, unhealthy after ${backend.unhealthy_threshold} failures`,
    );
    expect(ja).toContain(
      `パス \`${backend.path}\`、間隔 ${backend.interval} 秒、タイムアウト ${backend.timeout} 秒、${backend.healthy_threshold} 回成功で正常、${backend.unhealthy_threshold} 回失敗で異常`,
    );
  });

  test("with a domain: the TLS policy and the HTTP→HTTPS redirect the guides name", () => {
    const config = configFor("dev", { DEV_DOMAIN: "dev.markmail.example.com" });
    const json = synthJson(new AlbStack(testApp(), { config, env: onlyEnv(config) }));
    const listeners = Object.values(json.resource?.aws_lb_listener ?? {}) as any[];
    const https = listeners.find((l) => l.protocol === "HTTPS");
    const http = listeners.find((l) => l.protocol === "HTTP");
    expect(https?.ssl_policy).toMatch(/^ELBSecurityPolicy-TLS13-/);
    expect(http.default_action[0].redirect.status_code).toBe("HTTP_301");
    for (const text of [en, ja]) {
      expect(text).toContain(`\`${https.ssl_policy}\``);
      expect(text).toMatch(/\(301\)|（301）/);
    }
  });

  test("WAF in prod only, named as the guides say", () => {
    const acls = bodies(facts, "aws_wafv2_web_acl").map((b) => b.name);
    expect(acls).toEqual(["markmail-prod-waf"]);
    expect(attr(facts, "name", "aws_cloudwatch_log_group")).toContain("aws-waf-logs-markmail-prod");
  });

  test("operator secrets: Terraform ignores later values, and the defaults quoted are the ones written", () => {
    const versions = dev("aws_secretsmanager_secret_version");
    const byName = new Map(versions.map(({ body, json }) => [deref(json, body.secret_id).name as string, body]));
    for (const name of ["salesforce", "ai", "stripe", "dockerhub"] as const) {
      const v = byName.get(`markmail-dev-${SECRETS[name].suffix}`)!;
      expect(v.lifecycle.ignore_changes).toContain("secret_string");
      const initial = JSON.parse(v.secret_string) as Record<string, string>;
      expect(Object.keys(initial).sort()).toEqual([...SECRETS[name].keys].sort());
      for (const [key, value] of Object.entries(initial)) {
        if (value === "REPLACE_ME" || key === "redirect_url") continue;
        for (const text of [en, ja]) {
          expect(text).toContain(`\`${key}\``);
          expect(text).toContain(value === "false" ? `\`"false"\`` : `\`${value}\``);
        }
      }
    }
    for (const name of ["db", "jwt"] as const) {
      const v = byName.get(`markmail-dev-${SECRETS[name].suffix}`)!;
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_string_wo).toBeDefined();
    }
  });

  test("per-environment figures in the tables are the configured defaults", () => {
    const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
    const envs = ENVIRONMENTS.map((e) => DEFAULTS[e]);
    for (const svc of ["backend", "frontend"] as const) {
      const enCells = envs.map((d) => `${d.services[svc].minCount}–${d.services[svc].maxCount}`);
      const jaCells = envs.map((d) => `${d.services[svc].minCount}〜${d.services[svc].maxCount}`);
      expect(en).toContain(row([`${svc} tasks (min–max)`, ...enCells]));
      expect(ja).toContain(row([`${svc} のタスク数（最小〜最大）`, ...jaCells]));
    }
    expect(en).toContain(row(["backups", ...envs.map((d) => `${d.database.backupRetentionDays} days`)]));
    expect(ja).toContain(row(["バックアップ", ...envs.map((d) => `${d.database.backupRetentionDays} 日`)]));
    expect(en).toContain(row(["log retention", ...envs.map((d) => `${d.logRetentionDays} days`)]));
    expect(en).toContain(row(["db secret rotation", ...envs.map((d) => `every ${d.database.rotation.days} days`)]));
    expect(ja).toContain(row(["DB シークレットのローテーション", ...envs.map((d) => `${d.database.rotation.days} 日ごと`)]));
    const backupCells = (d: ReturnType<typeof buildEnvironment>, days: string, copy: (r: string) => string, lock: string, sep: string) =>
      [days, ...(d.backup.copy ? [copy(d.backup.copy.region)] : []), ...(d.backup.vaultLock !== "none" ? [lock] : [])].join(sep);
    const full = ENVIRONMENTS.map((e) => buildEnvironment(e, "ap-northeast-1"));
    expect(en).toContain(
      row([
        "AWS Backup (daily, 05:00 JST)",
        ...full.map((d) => backupCells(d, `${d.backup.retentionDays} days`, (r) => `copied to ${r}`, "vault lock", ", ")),
      ]),
    );
    expect(ja).toContain(
      row([
        "AWS Backup（毎日 5:00 JST）",
        ...full.map((d) => backupCells(d, `${d.backup.retentionDays} 日`, (r) => `${r} へコピー`, "ボールトロック", "、")),
      ]),
    );
    expect(en).toContain(row(["restore test (Monday 10:00 JST)", ...envs.map((d) => (d.backup.restoreTest ? "weekly" : "manual"))]));
    expect(ja).toContain(row(["リストアテスト（月曜 10:00 JST）", ...envs.map((d) => (d.backup.restoreTest ? "毎週" : "手動"))]));
    expect(ja).toContain(row(["ログ保持", ...envs.map((d) => `${d.logRetentionDays} 日`)]));
    for (const d of envs) for (const text of [en, ja]) expect(text).toContain(d.network.cidr);
    expect(attr(facts, "cidr_block", "aws_vpc")).toEqual(new Set(envs.map((d) => d.network.cidr)));
  });

  test("ECS: Terraform owns the task definition (image tag from /markmail/<env>/<service>/image-tag), autoscaling the count; image tags are immutable", () => {
    const services = dev("aws_ecs_service");
    expect(services.map(({ body }) => body.name).sort()).toEqual(["markmail-dev-backend", "markmail-dev-frontend"]);
    for (const { body } of services) expect(body.lifecycle?.ignore_changes).toEqual(["desired_count"]);
    const params = dev("aws_ssm_parameter").map(({ body }) => [body.name, body.value, body.lifecycle?.ignore_changes]);
    expect(params.sort()).toEqual([
      ["/markmail/dev/backend/image-tag", "bootstrap", ["value"]],
      ["/markmail/dev/frontend/image-tag", "bootstrap", ["value"]],
    ]);
    for (const repo of bodies(facts, "aws_ecr_repository")) expect(repo.image_tag_mutability).toBe("IMMUTABLE");
    const logs = dev("aws_cloudwatch_log_group").find(({ body }) => body.name === "/ecs/markmail-dev-backend")!.body;
    expect(logs.retention_in_days).toBe(DEFAULTS.dev.logRetentionDays);
  });

  test("the prod pipeline waits for the approval the guides describe; dev does not", () => {
    const stages = (name: string) =>
      bodies(facts, "aws_codepipeline")
        .find((p) => p.name === name)!
        .stage.map((st: any) => st.name);
    expect(stages("markmail-prod-pipeline")).toEqual(["Source", "Build", "Approval", "Deploy"]);
    expect(stages("markmail-dev-pipeline")).toEqual(["Source", "Build", "Deploy"]);
  });
});
