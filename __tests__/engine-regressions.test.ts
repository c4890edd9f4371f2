// Regressions found by the real engine (scripts/engine/verify.sh: terraform validate + an offline
// plan against moto). Each test pins the synthesized JSON shape that Terraform needs, so the class
// of error comes back as a fast jest failure instead of a slow engine run.
import { buildApp, configFrom, synthJson, TfJson } from "./helpers/synth";

const full = (vars: Record<string, string> = {}) => {
  const stacks = buildApp(configFrom({ CREATE_BASTION: "true", ...vars }));
  return [...stacks.entries()].map(([id, stack]) => [id, synthJson(stack)] as [string, TfJson]);
};

describe("terraform_remote_state readers (validate: 'The parameter \"dynamodb_table\" is deprecated')", () => {
  test.each(["both", "dynamodb", "lockfile"])("TF_STATE_LOCKING=%s: no reader carries dynamodb_table; the stack's own backend keeps its lock setting", (locking) => {
    let readers = 0;
    for (const [id, json] of full({ TF_STATE_LOCKING: locking })) {
      for (const [name, reader] of Object.entries<any>(json.data?.terraform_remote_state ?? {})) {
        readers += 1;
        expect({ id, name, config: reader.config }).toEqual({ id, name, config: expect.not.objectContaining({ dynamodb_table: expect.anything() }) });
        expect(reader.config).toMatchObject({ bucket: "markmail-terraform-state", region: "ap-northeast-1", encrypt: true });
        expect(reader.config.key).toMatch(/^markmail\/(dev|staging|prod)\/[a-z-]+\.tfstate$/);
      }
      const backend = json.terraform.backend.s3;
      expect(backend.dynamodb_table).toBe(locking === "lockfile" ? undefined : "markmail-terraform-locks");
      expect(backend.use_lockfile).toBe(locking === "dynamodb" ? undefined : true);
    }
    expect(readers).toBeGreaterThan(20);
  });
});
