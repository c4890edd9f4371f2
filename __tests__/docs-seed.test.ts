// The seed guide (the original operator guide) is a requirement: every AWS CLI call it makes must
// work against what the stacks create, from the committed fixture of its shell lines.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { GUIDES } from "../scripts/graph";
import { SEED_DIR, markdownDoc, commandsOf, strip } from "./helpers/doc-reader";
import {
  appFacts,
  nameProblems,
  commandProblems,
  SEED_REPLACED,
  SEED_FIXTURE,
  seedFromGuide,
  seedDocs,
  awsCalls,
  seedPresent,
  needs,
  CLI_CUSTOMIZATIONS,
  findBotocorePython,
  MARKDOWN,
} from "./helpers/doc-checks";

if (seedPresent && process.env.UPDATE_SEED_FIXTURE === "1") writeFileSync(SEED_FIXTURE, `${JSON.stringify(seedFromGuide(), null, 2)}\n`);

needs("the seed guide (../shared/seed beside the clone)", seedPresent)(
  "the committed seed fixture is exactly the seed guide's shell lines",
  () => {
    expect(JSON.parse(readFileSync(SEED_FIXTURE, "utf8"))).toEqual(seedFromGuide());
  },
);

describe("the seed guide's AWS CLI calls (from __tests__/fixtures/seed-guide.json)", () => {
  const facts = appFacts();
  const seeds = seedDocs();
  const guides = GUIDES.map(markdownDoc);

  test("the seed guide is there and has AWS CLI calls", () => {
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.flatMap((s) => awsCalls(s.lines)).length).toBeGreaterThan(10);
  });

  test("every name the seed's supported calls use resolves to what the stacks create", () => {
    const problems: string[] = [];
    for (const seed of seeds) {
      const cwd = { dir: "." };
      for (const cmd of commandsOf(seed.lines)) {
        const words = strip(cmd);
        const call = words[0] === "aws" ? `${words[1]} ${words[2]}` : undefined;
        // The seed's `cd scripts/... && ./update_aws_secrets.sh` must work; `cd infrastructure` is the old layout.
        if (words[0] === "cd" && words[1] === "infrastructure") continue;
        if (words[0] === "aws" && call && SEED_REPLACED[call] === undefined)
          problems.push(...commandProblems(facts, cmd, new Set(), cwd, false));
        if (words[0] === "cd" || (words[0] ?? "").startsWith("./")) problems.push(...commandProblems(facts, cmd, new Set(), cwd, false));
      }
      problems.push(...nameProblems(facts, seed.lines.join("\n"), new Set()));
    }
    expect(problems).toEqual([]);
  });

  test.each(GUIDES)("%s: runs every AWS CLI command of the seed (or its stated replacement)", (guide) => {
    const ours = new Set(awsCalls(guides.find((g) => g.name === guide)!.lines).map((c) => c.name));
    const missing = [...new Set(seeds.flatMap((s) => awsCalls(s.lines).map((c) => c.name)))]
      .map((call) => SEED_REPLACED[call]?.instead ?? call)
      .filter((call) => !ours.has(call));
    expect(missing).toEqual([]);
  });

  test("no guide runs an AWS CDK command; the seed's CDK steps map to cdktf ones", () => {
    for (const g of guides) {
      const cdk = commandsOf(g.lines)
        .map(strip)
        .filter((w) => w[0] === "cdk" || (w[0] === "npx" && w[1] === "cdk"));
      expect(cdk).toEqual([]);
    }
  });
});

const botocorePython = findBotocorePython();
needs("python3 with botocore (scripts/tests/run.sh creates it)", botocorePython !== undefined)(
  "every aws <service> <command> of the guides and the seed exists in the AWS CLI (botocore models)",
  () => {
    const docs = [...MARKDOWN.map(markdownDoc), ...(existsSync(SEED_DIR) ? seedDocs() : [])];
    const calls = new Set<string>();
    for (const d of docs) {
      for (const c of awsCalls([...d.lines, ...d.inline])) {
        if (CLI_CUSTOMIZATIONS.has(c.name)) continue;
        calls.add(c.words[2] === "wait" ? `${c.words[1]} wait ${c.words[3]}` : c.name);
      }
    }
    const script = `
import json, sys, botocore.session
from botocore import xform_name
s = botocore.session.get_session()
bad = []
for call in json.loads(sys.argv[1]):
    parts = call.split(" ")
    try:
        model = s.get_service_model(parts[0])
    except Exception:
        bad.append(call + ": unknown service"); continue
    if parts[1] == "wait":
        try:
            names = {xform_name(w, "-") for w in s.get_waiter_model(parts[0]).waiter_names}
        except Exception:
            names = set()
        if parts[2] not in names: bad.append(call + ": unknown waiter")
    elif parts[1] not in {xform_name(o, "-") for o in model.operation_names}:
        bad.append(call + ": unknown command")
print(json.dumps(bad))
`;
    const r = spawnSync(botocorePython!, ["-c", script, JSON.stringify([...calls].sort())], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(calls.size).toBeGreaterThan(20);
    expect(JSON.parse(r.stdout)).toEqual([]);
  },
);
