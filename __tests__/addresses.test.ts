import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type App, Testing } from "cdktf";
import { readableName } from "../constructs/addresses";
import { STATEFUL_TYPES } from "../constructs/stateful";
import { BootstrapStack } from "../stacks/bootstrap-stack";
import { buildFreshApp, configFrom, FULL, synthApp, synthJson, type TfJson } from "./helpers/synth";

// The committed address of every stateful resource per stack. A renamed address makes Terraform
// destroy the old resource and create a new one: for a database, a bucket or a key, data loss.
const FIXTURE = join(__dirname, "fixtures", "stateful-addresses.json");
// Every layer and optional resource: bastion, created zones (the dns layer), TLS, SES, alarm e-mail.
const VARIANT = FULL;

type Addresses = Record<string, string[]>;

function statefulAddresses(json: TfJson): string[] {
  return STATEFUL_TYPES.flatMap((type) => Object.keys(json.resource?.[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

/** `moved` blocks of a stack, from → to (cdktf `moveFromId`/`moveTo`, or a `moved` block override). */
function movedIn(json: TfJson): Map<string, string> {
  return new Map(((json.moved as { from: string; to: string }[] | undefined) ?? []).map((m) => [m.from, m.to]));
}

/** What changed against the committed list: every removed or added stateful address that no `moved` block explains. */
function addressChanges(committed: Addresses, now: Addresses, stacks: Map<string, TfJson>): string[] {
  const problems: string[] = [];
  for (const id of new Set([...Object.keys(committed), ...Object.keys(now)])) {
    const before = new Set(committed[id] ?? []);
    const after = new Set(now[id] ?? []);
    const moved = stacks.has(id) ? movedIn(stacks.get(id)!) : new Map<string, string>();
    for (const a of before) {
      if (after.has(a)) continue;
      const to = moved.get(a);
      if (to === undefined || !after.has(to)) problems.push(`${id}: ${a} is gone (Terraform would destroy it)`);
    }
    const movedTo = new Set(moved.values());
    for (const a of after) if (!before.has(a) && !movedTo.has(a)) problems.push(`${id}: ${a} is new`);
  }
  return problems;
}

function currentStacks(): Map<string, TfJson> {
  const config = configFrom(VARIANT);
  const stacks = new Map(synthApp(VARIANT));
  const bootstrap = new BootstrapStack(Testing.app() as App, { config });
  stacks.set(bootstrap.node.id, synthJson(bootstrap));
  return stacks;
}

describe("stateful resource addresses cannot move by accident", () => {
  const stacks = currentStacks();
  const now: Addresses = Object.fromEntries([...stacks].map(([id, json]) => [id, statefulAddresses(json)]).sort());

  if (process.env.UPDATE_ADDRESSES === "1") writeFileSync(FIXTURE, `${JSON.stringify(now, null, 2)}\n`);
  const committed: Addresses = JSON.parse(readFileSync(FIXTURE, "utf8"));

  test("every stateful address of every stack is the committed one (__tests__/fixtures/stateful-addresses.json)", () => {
    const problems = addressChanges(committed, now, stacks);
    if (problems.length > 0) {
      throw new Error(
        `${problems.join("\n")}\n\nA moved address destroys and re-creates the resource. Add a moved block ` +
          '(cdktf: newResource.moveFromId("<old address>"), or a `moved` block in the stack) so Terraform moves the state, ' +
          "or, for a deliberate change, update the list: UPDATE_ADDRESSES=1 npx jest __tests__/addresses.test.ts",
      );
    }
  });

  test("the list covers the data of every layer: databases, buckets, keys, secrets, repositories, logs, the state store", () => {
    expect(committed["markmail-prod-database"]).toEqual(
      expect.arrayContaining([
        "aws_rds_cluster.aurora",
        "aws_rds_cluster_instance.aurora_writer",
        "aws_elasticache_replication_group.redis",
        "aws_kms_key.main",
        "aws_secretsmanager_secret.db",
      ]),
    );
    expect(committed["markmail-prod-ecs-cluster"]).toEqual(
      expect.arrayContaining(["aws_ecr_repository.backend", "aws_cloudwatch_log_group.backend_logs"]),
    );
    expect(committed["markmail-bootstrap"]).toEqual(
      expect.arrayContaining(["aws_dynamodb_table.state_store_locks", "aws_kms_key.state_store"]),
    );
    expect(committed["markmail-bootstrap"].some((a) => a.startsWith("aws_s3_bucket."))).toBe(true);
    expect(committed["markmail-prod-dns"]).toEqual(["aws_route53_zone.main"]);
  });

  test("the guard fails on a renamed stateful resource and names it; a moved block makes the rename safe", () => {
    const renamed: Addresses = {
      ...now,
      "markmail-prod-database": now["markmail-prod-database"].map((a) => (a === "aws_rds_cluster.aurora" ? "aws_rds_cluster.main" : a)),
    };
    expect(addressChanges(committed, renamed, stacks)).toEqual([
      "markmail-prod-database: aws_rds_cluster.aurora is gone (Terraform would destroy it)",
      "markmail-prod-database: aws_rds_cluster.main is new",
    ]);
    const withMoved = new Map(stacks).set("markmail-prod-database", {
      ...stacks.get("markmail-prod-database")!,
      moved: [{ from: "aws_rds_cluster.aurora", to: "aws_rds_cluster.main" }],
    });
    expect(addressChanges(committed, renamed, withMoved)).toEqual([]);
    const dropped: Addresses = { ...now, "markmail-prod-secrets": [] };
    expect(addressChanges(committed, dropped, stacks).length).toBe(committed["markmail-prod-secrets"].length);
  });
});

describe("readable addresses", () => {
  test("construct path in snake_case without the words it shares with the type; main when nothing is left", () => {
    expect(readableName("aws_ecs_service", ["Backend", "service"])).toBe("backend");
    expect(readableName("aws_s3_bucket", ["alb", "access-logs", "bucket"])).toBe("alb_access_logs");
    expect(readableName("aws_kms_key", ["key", "key"])).toBe("main");
    expect(readableName("aws_cloudwatch_metric_alarm", ["alarms", "BackendCpuHigh", "alarm"])).toBe("alarms_backend_cpu_high");
    expect(readableName(undefined, ["vpc_id"])).toBe("vpc_id");
  });

  test("no address in any stack carries a cdktf hash or an environment name", () => {
    for (const [id, json] of currentStacks()) {
      for (const block of [json.resource ?? {}, json.data ?? {}]) {
        for (const [type, byName] of Object.entries(block)) {
          for (const name of Object.keys(byName as object)) {
            expect({ id, address: `${type}.${name}` }).toEqual({
              id,
              address: expect.not.stringMatching(/_[0-9A-F]{8}$|(^|_)(dev|staging|prod)(_|$)/),
            });
          }
        }
      }
    }
  });

  test("two resources of one type that would get one name stop synth with both paths", () => {
    const stack = buildFreshApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev" })).get("markmail-dev-secrets")!;
    const { SecretsmanagerSecret } = require("@cdktf/provider-aws/lib/secretsmanager-secret");
    new SecretsmanagerSecret(stack, "jwt-secret", { name: "x" });
    expect(() => synthJson(stack)).toThrow(
      /aws_secretsmanager_secret\.jwt would name both markmail-dev-secrets\/jwt\/secret and markmail-dev-secrets\/jwt-secret/,
    );
  });
});
