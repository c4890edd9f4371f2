import { buildFreshApp, configFrom, resources, synthApp, synthJson } from "./helpers/synth";

const DOMAIN = "dev.markmail.example.com";

describe("dns layer (a domain with HOSTED_ZONE_MODE=create)", () => {
  const stacks = buildFreshApp(configFrom({ CDK_CONTEXT_ENVIRONMENT: "dev", DEV_DOMAIN: DOMAIN, HOSTED_ZONE_MODE: "create" }));

  test("markmail-dev-dns exists, right before the alb that validates its certificate in the zone", () => {
    const ids = [...stacks.keys()];
    expect(ids.indexOf("markmail-dev-dns")).toBe(ids.indexOf("markmail-dev-alb") - 1);
    expect(ids.indexOf("markmail-dev-dns")).toBeGreaterThan(ids.indexOf("markmail-dev-secrets"));
  });

  test("it owns the zone and publishes its id and name servers; it reads no other layer", () => {
    const json = synthJson(stacks.get("markmail-dev-dns")!);
    const [[id, zone]] = resources(json, "aws_route53_zone");
    expect(zone).toMatchObject({ name: DOMAIN, comment: "MarkMail application domain for dev" });
    expect(json.output).toEqual({
      zone_id: expect.objectContaining({ value: `\${aws_route53_zone.${id}.zone_id}` }),
      name_servers: expect.objectContaining({
        value: `\${aws_route53_zone.${id}.name_servers}`,
        description: expect.stringMatching(/^Delegate the domain/),
      }),
    });
    expect(json.data?.terraform_remote_state).toBeUndefined();
    expect(json.terraform.backend.s3.key).toBe("markmail/dev/dns.tfstate");
  });

  test("no dns stack when the zone is looked up or there is no domain", () => {
    const lookup = [...synthApp({ DEV_DOMAIN: DOMAIN }).keys()];
    const none = [...buildFreshApp(configFrom({ HOSTED_ZONE_MODE: "create" })).keys()];
    expect(lookup.filter((id) => id.endsWith("-dns"))).toEqual([]);
    expect(none.filter((id) => id.endsWith("-dns"))).toEqual([]);
  });

  test("prod's zone refuses a destroy (its name servers are what the parent delegates to)", () => {
    const prod = buildFreshApp(
      configFrom({ CDK_CONTEXT_ENVIRONMENT: "prod", PROD_DOMAIN: "markmail.example.com", HOSTED_ZONE_MODE: "create" }),
    );
    const [[, zone]] = resources(synthJson(prod.get("markmail-prod-dns")!), "aws_route53_zone");
    expect(zone.lifecycle).toEqual({ prevent_destroy: true });
  });
});
