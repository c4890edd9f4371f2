import { Testing } from "cdktf";
import { SECRETS } from "../config/contract";
import { EphemeralRandomPassword } from "../constructs/ephemeral-random-password";
import { looksSecretName, POLICY_DATA, SECRET_NAME } from "../constructs/policy-data";
import { OperatorSecret, PLACEHOLDER, WriteOnlySecret } from "../constructs/secret";
import { SecretsStack } from "../stacks/secrets-stack";
import { dataLayer, dataLayers } from "./helpers/data-layers";
import { configFor, deref, FULL, PLAIN, synthApp, onlyResource, regionalStack, resources, synthJson, type TfJson } from "./helpers/synth";

const values = (json: TfJson, type: string) => resources(json, type).map(([, v]) => v);
const dev = dataLayer("dev", "secrets", { DEV_DOMAIN: "dev.markmail.example.com" });
const staging = dataLayer("staging", "secrets");
const prod = dataLayer("prod", "secrets", { PROD_DOMAIN: "markmail.example.com" });

/** secret name → { secret, version } of a synthesized secrets stack. */
function byName(json: TfJson): Record<string, { secret: any; version: any }> {
  const versions = resources(json, "aws_secretsmanager_secret_version");
  return Object.fromEntries(
    resources(json, "aws_secretsmanager_secret").map(([id, secret]) => [
      secret.name,
      { secret, version: versions.find(([, v]) => v.secret_id === `\${aws_secretsmanager_secret.${id}.id}`)![1] },
    ]),
  );
}
const initial = (json: TfJson, name: string) => JSON.parse(byName(json)[name].version.secret_string);

describe("secret ids, encryption and recovery", () => {
  test("the guide's secret ids, each with a description, encrypted with the layer CMK", () => {
    const secrets = byName(dev);
    expect(Object.keys(secrets).sort()).toEqual([
      "markmail-dev-ai-secret",
      "markmail-dev-dockerhub",
      "markmail-dev-jwt-secret",
      "markmail-dev-salesforce-secret",
      "markmail-dev-stripe-secret",
    ]);
    const keyRef = `\${aws_kms_key.${resources(dev, "aws_kms_key")[0][0]}.arn}`;
    for (const { secret } of Object.values(secrets)) {
      expect(secret.kms_key_id).toBe(keyRef);
      expect(secret.description.length).toBeGreaterThan(20);
    }
  });

  test.each([
    ["dev", 7, 7, dev],
    ["staging", 7, 7, staging],
    ["prod", 30, 30, prod],
  ])("%s: recovery window %i days (never 0), key deletion window %i days", (_, recovery, keyWindow, json) => {
    for (const s of values(json, "aws_secretsmanager_secret")) expect(s.recovery_window_in_days).toBe(recovery);
    expect(onlyResource(json, "aws_kms_key").deletion_window_in_days).toBe(keyWindow);
  });

  test("one customer-managed key per environment, rotation on, alias markmail-<env>-secrets", () => {
    expect(onlyResource(dev, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(onlyResource(dev, "aws_kms_alias").name).toBe("alias/markmail-dev-secrets");
    expect(onlyResource(prod, "aws_kms_alias").name).toBe("alias/markmail-prod-secrets");
  });
});

describe("operator secrets: placeholders once, never overwritten", () => {
  test("salesforce: the guide's keys, redirect_url on the env domain, use_sandbox false", () => {
    expect(initial(dev, "markmail-dev-salesforce-secret")).toEqual({
      client_id: PLACEHOLDER,
      client_secret: PLACEHOLDER,
      redirect_url: "https://dev.markmail.example.com/api/crm/oauth/salesforce/callback",
      use_sandbox: "false",
    });
    expect(initial(prod, "markmail-prod-salesforce-secret").redirect_url).toBe(
      "https://markmail.example.com/api/crm/oauth/salesforce/callback",
    );
  });

  test("salesforce without a domain: a redirect_url that is visibly a placeholder", () => {
    expect(initial(staging, "markmail-staging-salesforce-secret").redirect_url).toBe(
      "https://REPLACE_ME.example.com/api/crm/oauth/salesforce/callback",
    );
  });

  test("ai, stripe and dockerhub: exactly the contract's keys; every credential is the placeholder", () => {
    expect(initial(dev, "markmail-dev-ai-secret")).toEqual({
      OPENAI_API_KEY: PLACEHOLDER,
      ANTHROPIC_API_KEY: PLACEHOLDER,
      AI_PROVIDER: "openai",
      OPENAI_MODEL: "gpt-4o",
      ANTHROPIC_MODEL: "claude-sonnet-4-5",
    });
    expect(initial(dev, "markmail-dev-stripe-secret")).toEqual(Object.fromEntries(SECRETS.stripe.keys.map((k) => [k, PLACEHOLDER])));
    expect(initial(dev, "markmail-dev-dockerhub")).toEqual({ username: PLACEHOLDER, password: PLACEHOLDER });
    for (const name of ["salesforce", "ai", "stripe"] as const) {
      expect(Object.keys(initial(dev, `markmail-dev-${SECRETS[name].suffix}`)).sort()).toEqual([...SECRETS[name].keys].sort());
    }
  });

  test("later changes to the value (update-secret, the update script) are ignored by Terraform", () => {
    for (const [name, { version }] of Object.entries(byName(prod))) {
      if (name.endsWith("jwt-secret")) continue;
      expect(version.lifecycle.ignore_changes).toEqual(["secret_string", "version_stages"]);
      expect(version.secret_string_wo).toBeUndefined();
    }
  });
});

describe("the JWT signing key", () => {
  test("generated (64 characters) and written through a write-only attribute; never the DB password", () => {
    expect(dev.ephemeral!.aws_secretsmanager_random_password["jwt-value"]).toMatchObject({
      password_length: 64,
      exclude_punctuation: true,
    });
    const { version } = byName(dev)["markmail-dev-jwt-secret"];
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toBe(
      '${jsonencode({"secret" = ephemeral.aws_secretsmanager_random_password.jwt-value.random_password})}',
    );
    expect(version.secret_string_wo).not.toContain("master-password");
    expect(version.secret_string_wo_version).toBe(1);
    // Terraform >= 1.11 is documented, not emitted: required_version crashes checkov's JSON parser.
    expect(dev.terraform.required_version).toBeUndefined();
  });

  test("bumping secrets.jwtSecretVersion writes a new key", () => {
    const json = dataLayer("dev", "secrets", {}, (e) => ({ ...e, secrets: { ...e.secrets, jwtSecretVersion: 2 } }));
    expect(byName(json)["markmail-dev-jwt-secret"].version.secret_string_wo_version).toBe(2);
  });
});

test("outputs: ARNs and names of every secret and the key, for the ECS layer's task definitions and SecretsManagerAccess", () => {
  const config = configFor("dev");
  const stack = new SecretsStack(Testing.app(), { config, env: config.environments[0] });
  const json = synthJson(stack);
  const secretOf = (output: string) => {
    return deref(json, json.output![output].value).name;
  };
  expect(["jwt", "salesforce", "ai", "stripe", "dockerhub"].map((s) => secretOf(`${s}_secret_arn`))).toEqual([
    "markmail-dev-jwt-secret",
    "markmail-dev-salesforce-secret",
    "markmail-dev-ai-secret",
    "markmail-dev-stripe-secret",
    "markmail-dev-dockerhub",
  ]);
  expect(json.output!.kms_key_arn.value).toBe("${aws_kms_key.main.arn}");
});

describe("guardrails of the secret constructs", () => {
  const base = { description: "d", kmsKeyArn: "arn:aws:kms:ap-northeast-1:111122223333:key/x", recoveryWindowDays: 7 };

  test("a credential with a real initial value, a recovery window of 0 or over 30, a version of 0", () => {
    const stack = regionalStack("t");
    expect(() => new OperatorSecret(stack, "a", { ...base, name: "a", initial: { client_secret: "s3cr3t-value" } })).toThrow(
      /client_secret is a credential; its initial value must be "REPLACE_ME"/,
    );
    expect(() => new OperatorSecret(stack, "b", { ...base, name: "b", initial: { STRIPE_SECRET_KEY: "sk_live_abc" } })).toThrow(
      /STRIPE_SECRET_KEY is a credential/,
    );
    expect(() => new OperatorSecret(stack, "c", { ...base, name: "c", recoveryWindowDays: 0, initial: {} })).toThrow(
      /^t\/c: recoveryWindowDays=0 is not valid: expected 7 to 30 days/,
    );
    expect(() => new OperatorSecret(stack, "d", { ...base, name: "d", recoveryWindowDays: 31, initial: {} })).toThrow(
      /^t\/d: recoveryWindowDays=31 is not valid/,
    );
    expect(() => new WriteOnlySecret(stack, "e", { ...base, name: "e", value: "x", version: 0 })).toThrow(
      /version must be an integer >= 1/,
    );
  });

  test("EphemeralRandomPassword: one ephemeral block, no required_version, short passwords refused", () => {
    const stack = regionalStack("t");
    const pw = new EphemeralRandomPassword(stack, "pw", { length: 48 });
    const json = synthJson(stack);
    expect(json.ephemeral).toEqual({
      aws_secretsmanager_random_password: {
        pw: { password_length: 48, exclude_punctuation: true, include_space: false, require_each_included_type: true },
      },
    });
    expect(json.terraform?.required_version).toBeUndefined();
    expect(pw.address).toBe("ephemeral.aws_secretsmanager_random_password.pw");
    expect(() => new EphemeralRandomPassword(stack, "short", { length: 12 })).toThrow(/length must be 32-4096/);
  });
});

/**
 * Scans every string of a synthesized stack for secret material. Allowed: references (`${...}`),
 * the placeholder, and the ephemeral password's address; refused: credential-named keys (also
 * `{name, value}` pairs such as container environment entries) with literal values, `"password":
 * "<literal>"`-style assignments inside any string, and high-entropy tokens.
 */
/** Credential-looking names: the gate's own list (policies/data/secrets). */
const CREDENTIAL = SECRET_NAME;
/** Terraform attribute names that name or configure a secret rather than hold one (`key` of an S3 object or backend, `next_signing_key_length` of DNSSEC). */
const NOT_A_VALUE_KEY =
  /(_wo_version|_arn|_name|_id|_ids|_stages|_type|_mode|_strategy|_enabled|_days|description|_path|_length|^http_tokens|^key)$/i;
const ALLOWED = /^(REPLACE_ME|\$\{[\s\S]*\}|)$/;
const ASSIGNED = /["']?[A-Za-z_]*(password|secret|token|api_?key)["']?\s*[:=]\s*["'](?!\$\{|REPLACE_ME["'])([^"'$]{6,})["']/i;
/**
 * A run of base64 characters mixing upper case, lower case and digits (keys, generated passwords):
 * the first high_entropy entry of policies/data/secrets, applied to the whole string, expressions
 * included (a literal hidden inside a jsonencode expression is still a literal).
 */
const { chars: ENTROPY_CHARS, min_length: ENTROPY_MIN } = POLICY_DATA.secrets.values.high_entropy[0];
const HIGH_ENTROPY = new RegExp(
  `(?<![${ENTROPY_CHARS}])(?=[${ENTROPY_CHARS}]{${ENTROPY_MIN},}(?![${ENTROPY_CHARS}]))(?=[${ENTROPY_CHARS}]*[a-z])(?=[${ENTROPY_CHARS}]*[A-Z])(?=[${ENTROPY_CHARS}]*\\d)[${ENTROPY_CHARS}]{${ENTROPY_MIN},}`,
);
/** Terraform addresses (depends_on, replace_triggered_by): names, not values. */
const ADDRESS = /^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+(\.[a-z0-9_]+)?$/;

function scan(value: unknown, path: string, out: string[]): void {
  if (typeof value === "string") {
    if (ADDRESS.test(value)) return;
    // Whole value, expressions included: references split into short runs and never look like a
    // quoted literal after a credential name.
    if (HIGH_ENTROPY.test(value)) out.push(`${path}: high-entropy literal`);
    const assigned = ASSIGNED.exec(value);
    if (assigned) out.push(`${path}: ${assigned[0]}`);
    if (/^\s*[[{]/.test(value)) {
      try {
        scan(JSON.parse(value), `${path}(json)`, out);
      } catch {
        /* not JSON */
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      scan(v, `${path}[${i}]`, out);
    });
    return;
  }
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.name === "string" && typeof o.value === "string" && looksSecretName(o.name) && !ALLOWED.test(o.value))
      out.push(`${path}: ${o.name}="${o.value}"`);
    for (const [k, v] of Object.entries(o)) {
      if (k === "//") continue;
      if (CREDENTIAL.test(k) && !NOT_A_VALUE_KEY.test(k) && typeof v === "string" && !/^\s*[[{]/.test(v) && !ALLOWED.test(v))
        out.push(`${path}.${k}="${v}"`);
      scan(v, `${path}.${k}`, out);
    }
  }
}

describe("no secret literal anywhere in the synthesized JSON", () => {
  test("the scanner finds planted secrets of every kind", () => {
    const planted: [string, unknown][] = [
      ["credential key", { resource: { x: { y: { master_password: "Sup3rS3cretPassw0rdValue" } } } }],
      ["auth token", { r: { auth_token: "abcdefghijklmnop" } }],
      ["high entropy", { v: "AKIAxxxxxxxxxxxxqZ9aB3cD4eF5gH6iJ7kL8mN9oP0" }],
      ["JSON secret_string", { secret_string: '{"password":"hunter22hunter"}' }],
      ["container environment", { container_definitions: '[{"environment":[{"name":"DB_PASSWORD","value":"hunter22hunter"}]}]' }],
      ["HCL assignment in an expression", { secret_string_wo: '${jsonencode({"password" = "hunter22hunter"})}' }],
      ["high entropy in an expression", { secret_string_wo: '${jsonencode({"k" = "q8Zr2LmN5vXw7TyB4cD1eF6g"})}' }],
    ];
    for (const [what, doc] of planted) {
      const findings: string[] = [];
      scan(doc, "t", findings);
      expect([what, findings.length > 0]).toEqual([what, true]);
    }
  });

  test("references, placeholders and the ephemeral password pass", () => {
    const findings: string[] = [];
    scan(
      {
        master_password_wo: "${ephemeral.aws_secretsmanager_random_password.master-password.random_password}",
        secret_string: '{"client_secret":"REPLACE_ME","password":"REPLACE_ME"}',
        secret_string_wo:
          '${jsonencode({"password" = ephemeral.aws_secretsmanager_random_password.pw.random_password, "url" = "postgresql://markmail:${ephemeral.aws_secretsmanager_random_password.pw.random_password}@${aws_rds_cluster.c.endpoint}:5432/markmail"})}',
        secret_string_wo_version: 1,
      },
      "t",
      findings,
    );
    expect(findings).toEqual([]);
  });

  test("network, database and secrets of every environment, with and without domains", () => {
    const findings: string[] = [];
    for (const vars of [
      {},
      { DEV_DOMAIN: "dev.markmail.example.com", STAGING_DOMAIN: "staging.markmail.example.com", PROD_DOMAIN: "markmail.example.com" },
    ] as Record<string, string>[]) {
      for (const [id, stack] of dataLayers(vars)) scan(synthJson(stack), id, findings);
    }
    expect(findings).toEqual([]);
  });

  test("every stack of the whole app (all layers, with and without domains, bastion)", () => {
    const findings: string[] = [];
    for (const vars of [PLAIN, FULL]) {
      const stacks = synthApp(vars);
      expect(stacks.size).toBeGreaterThanOrEqual(27);
      for (const [id, json] of stacks) scan(json, id, findings);
    }
    expect(findings).toEqual([]);
  });
});
