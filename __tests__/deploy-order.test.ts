// npm run deploy -- <env>: the stacks come from the app itself, in the guide's order.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stackOrder } = require("../scripts/deploy.js");

describe("npm run deploy: the app decides which stacks exist, deploy.js only orders the calls", () => {
  test("the eight layers of dev in the guide's order, reversed for --destroy", () => {
    const order = stackOrder("dev", {});
    expect(order).toEqual(
      ["network", "database", "secrets", "alb", "ecs-cluster", "ecs", "monitoring", "pipeline"].map((l) => `markmail-dev-${l}`),
    );
    expect(stackOrder("dev", {}, { destroy: true })).toEqual([...order].reverse());
  });

  test("optional layers follow the app: dns before alb with a created zone, the bastion last", () => {
    const order: string[] = stackOrder("staging", {
      STAGING_DOMAIN: "staging.markmail.example.com",
      HOSTED_ZONE_MODE: "create",
      CREATE_BASTION: "true",
    });
    expect(order.slice(2, 5)).toEqual(["markmail-staging-secrets", "markmail-staging-dns", "markmail-staging-alb"]);
    expect(order[order.length - 1]).toBe("markmail-staging-bastion");
    expect(stackOrder("staging", { STAGING_DOMAIN: "staging.markmail.example.com" })).not.toContain("markmail-staging-dns");
  });
});
