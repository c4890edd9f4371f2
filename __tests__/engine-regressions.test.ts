// Regressions found by the real engine (scripts/engine/verify.sh: terraform validate + an offline
// plan against moto). Each test pins the synthesized JSON shape that Terraform needs, so the class
// of error comes back as a fast jest failure instead of a slow engine run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FULL, PLAIN, synthApp } from "./helpers/synth";

const full = (vars: Record<string, string> = {}) => [...synthApp({ ...PLAIN, ...vars })];

describe("terraform_remote_state readers (validate: 'The parameter \"dynamodb_table\" is deprecated')", () => {
  test.each(["both", "dynamodb", "lockfile"])(
    "TF_STATE_LOCKING=%s: no reader carries dynamodb_table; the stack's own backend keeps its lock setting",
    (locking) => {
      let readers = 0;
      // One environment is enough: every environment's stacks come from the same code.
      for (const [id, json] of full({ TF_STATE_LOCKING: locking, CDK_CONTEXT_ENVIRONMENT: "dev" })) {
        for (const [name, reader] of Object.entries<any>(json.data?.terraform_remote_state ?? {})) {
          readers += 1;
          expect({ id, name, config: reader.config }).toEqual({
            id,
            name,
            config: expect.not.objectContaining({ dynamodb_table: expect.anything() }),
          });
          expect(reader.config).toEqual({ bucket: "markmail-terraform-state", region: "ap-northeast-1", key: expect.any(String) });
          expect(reader.config.key).toMatch(/^markmail\/dev\/[a-z-]+\.tfstate$/);
        }
        const backend = json.terraform.backend.s3;
        expect(backend.dynamodb_table).toBe(locking === "lockfile" ? undefined : "markmail-terraform-locks");
        expect(backend.use_lockfile).toBe(locking === "dynamodb" ? undefined : true);
      }
      expect(readers).toBeGreaterThan(6);
    },
  );
});

describe("for_each keys known at plan time (plan: 'Invalid for_each argument ... cannot be determined until apply')", () => {
  const domains = {
    DEV_DOMAIN: "dev.markmail.example.com",
    STAGING_DOMAIN: "staging.markmail.example.com",
    PROD_DOMAIN: "markmail.example.com",
  };

  test.each(["lookup", "create"])(
    "HOSTED_ZONE_MODE=%s: ACM validation records iterate the domain_validation_options set itself, keyed by domain_name",
    (mode) => {
      const alb = full(mode === "create" ? FULL : { ...domains, HOSTED_ZONE_MODE: mode }).filter(([id]) => id.endsWith("-alb"));
      expect(alb).toHaveLength(3);
      for (const [, json] of alb) {
        const [certName] = Object.keys(json.resource!.aws_acm_certificate);
        const withForEach = Object.values<any>(json.resource!.aws_route53_record).filter((r) => r.for_each);
        expect(withForEach).toHaveLength(1);
        // tolist() of a set whose elements hold unknown values is wholly unknown at plan time.
        expect(withForEach[0].for_each).toBe(
          `\${{ for dvo in aws_acm_certificate.${certName}.domain_validation_options : dvo.domain_name => dvo }}`,
        );
        expect(withForEach[0].name).toBe("${each.value.resource_record_name}");
      }
    },
  );

  test("no for_each anywhere in the app converts a set with tolist()", () => {
    for (const vars of [{}, domains, FULL]) {
      for (const [id, json] of full(vars)) {
        for (const [type, byName] of Object.entries(json.resource ?? {})) {
          for (const [name, body] of Object.entries<any>(byName)) {
            if (body.for_each !== undefined)
              expect({ address: `${id}/${type}.${name}`, for_each: JSON.stringify(body.for_each) }).not.toEqual(
                expect.objectContaining({ for_each: expect.stringContaining("tolist(") }),
              );
          }
        }
      }
    }
  });
});

describe("offline plan inputs (scripts/engine/offline-plan.js)", () => {
  const offline = require("../scripts/engine/offline-plan.js");
  const dir = mkdtempSync(join(tmpdir(), "markmail-offline-"));
  const stacks = full(FULL);
  for (const [id, json] of stacks) {
    mkdirSync(join(dir, "stacks", id), { recursive: true });
    writeFileSync(join(dir, "stacks", id, "cdk.tf.json"), JSON.stringify(json));
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("every upstream output a stack reads exists in the generated local state, as a literal of the right shape", () => {
    let reads = 0;
    for (const [id, json] of stacks) {
      const doc = offline.overrides(join(dir, "stacks"), id, "http://127.0.0.1:5000", join(dir, "states"));
      expect(doc.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
      for (const [, reader, output] of JSON.stringify(json).matchAll(/\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}\s.]+)/g)) {
        reads += 1;
        const file = doc.data.terraform_remote_state[reader].config.path;
        const state = JSON.parse(readFileSync(file, "utf8"));
        const value = state.outputs[output]?.value;
        const literal = expect.stringMatching(/^[^${}\s]+$/);
        const want = /_ids$/.test(output) ? expect.arrayContaining([literal]) : literal;
        expect({ id, output, value }).toEqual({ id, output, value: want });
        for (const v of [value].flat()) {
          expect(v).toEqual(literal);
          if (/arn$/.test(output)) expect(v).toMatch(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(123456789012)?:\S+$/);
          if (/subnet.*ids?$/.test(output)) expect(v).toMatch(/^subnet-[0-9a-f]{17}$/);
        }
      }
    }
    expect(reads).toBeGreaterThan(100);
  });

  test("the provider goes to the local endpoint with fake credentials and every skip flag", () => {
    const doc = offline.overrides(join(dir, "stacks"), "markmail-dev-secrets", "http://127.0.0.1:5000", join(dir, "states"));
    expect(doc.provider.aws).toMatchObject({
      region: "ap-northeast-1",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    expect(doc.provider.aws.endpoints[0]).toMatchObject({
      sts: "http://127.0.0.1:5000",
      secretsmanager: "http://127.0.0.1:5000",
      route53: "http://127.0.0.1:5000",
      ssm: "http://127.0.0.1:5000",
    });
    expect(doc.data).toBeUndefined();
  });
});

describe("plain-text fields (Terraform interpolates no ${...} in them: a reader would see the raw reference)", () => {
  test("no output description of any stack holds a reference", () => {
    for (const vars of [PLAIN, FULL]) {
      for (const [id, json] of synthApp(vars)) {
        for (const [name, output] of Object.entries<any>(json.output ?? {})) {
          expect({ id, name, description: output.description ?? "" }).toEqual({ id, name, description: expect.not.stringContaining("${") });
        }
      }
    }
  });
});
