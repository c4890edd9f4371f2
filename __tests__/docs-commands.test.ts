// The operator documentation is part of the product: every command a reader can copy from
// README.md, help or the guides must exist, and every name it uses must be one the stacks create.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { INPUTS } from "../config";
import { SECRETS } from "../config/contract";
import { GRAPH_END, GRAPH_START, GUIDES, stackGraph } from "../scripts/graph";
import { bootstrapStatePath } from "../stacks/bootstrap-stack";
import {
  ROOT,
  type Doc,
  SHELL_LANGS,
  fencedBlocks,
  prose,
  shellLines,
  markdownDoc,
  helpDoc,
  commandsOf,
  strip,
} from "./helpers/doc-reader";
import { appFacts, known, SECRET_ID, docProblems, MARKDOWN } from "./helpers/doc-checks";

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("the shell parser used by these tests", () => {
  test("splits pipes, && and $( ), keeps quoted words and drops comments and heredoc bodies", () => {
    const lines = shellLines(
      [
        "X=$(aws ecs list-tasks --cluster markmail-dev --query 'taskArns[0]' --output text) # note",
        "cat > f <<'EOF'",
        "aws not a command",
        "EOF",
        'aws logs tail "/ecs/a b" --follow | grep -v x && echo "$(date)"',
      ].join("\n"),
      "bash",
    );
    expect(lines).toHaveLength(3);
    expect(commandsOf(lines)).toEqual([
      ["X=__SUBST__"],
      ["aws", "ecs", "list-tasks", "--cluster", "markmail-dev", "--query", "taskArns[0]", "--output", "text"],
      ["cat", ">", "f", "<<EOF"],
      ["aws", "logs", "tail", "/ecs/a b", "--follow"],
      ["grep", "-v", "x"],
      ["echo", "__SUBST__"],
      ["date"],
    ]);
  });

  test("joins continuation lines and reads console blocks by their $ prompt", () => {
    expect(shellLines("$ npm run \\\n  synth\noutput line", "console")).toEqual(["npm run    synth"]);
  });
});

describe("operator documentation", () => {
  const facts = appFacts();
  const docs: Doc[] = [...MARKDOWN.map(markdownDoc), helpDoc()];

  test("the guides, README and help exist and hold commands", () => {
    for (const doc of docs) expect(doc.lines.length).toBeGreaterThan(doc.name === "help" ? 10 : 1);
    for (const guide of GUIDES) expect(docs.find((d) => d.name === guide)!.lines.length).toBeGreaterThan(60);
  });

  test.each([...MARKDOWN, "help"])("%s: every command, script path, npm script, stack and name exists", (name) => {
    expect(docProblems(facts, docs.find((d) => d.name === name)!)).toEqual([]);
  });

  test("every secret id in the documents is one of config/contract.ts SECRETS, and the stacks create it", () => {
    const suffixes = Object.values(SECRETS).map((s) => s.suffix as string);
    const created = known(facts, "secret");
    const bad: string[] = [];
    for (const doc of docs) {
      for (const m of doc.text.matchAll(SECRET_ID)) {
        if (!suffixes.includes(m[1])) bad.push(`${doc.name}: ${m[0]} is not a secret of the contract`);
        const id = m[0].replace("<env>", "dev");
        if (!created.has(id)) bad.push(`${doc.name}: ${id} is not created by any stack`);
      }
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  test.each(GUIDES)("%s: documents every secret, every input of config/index.ts and the graph markers", (guide) => {
    const text = docs.find((d) => d.name === guide)!.text;
    for (const s of Object.values(SECRETS)) expect(text).toContain(`markmail-<env>-${s.suffix}`);
    for (const input of Object.keys(INPUTS)) expect(text).toContain(`\`${input}\``);
    expect(text).toContain(basename(bootstrapStatePath("markmail")));
  });

  let graph: string | undefined;
  test.each(GUIDES)("%s: the embedded stack graph is the one `npm run graph` generates from the app", (guide) => {
    graph ??= stackGraph();
    const text = readFileSync(join(ROOT, guide), "utf8");
    const start = text.indexOf(GRAPH_START);
    const end = text.indexOf(GRAPH_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(text.slice(start + GRAPH_START.length, end).trim()).toBe(graph);
  });

  test.each(GUIDES)("%s: every in-page link (#anchor) points at a heading", (guide) => {
    const text = readFileSync(join(ROOT, guide), "utf8");
    // GitHub's heading ids: lower case, punctuation removed (letters, digits, _ and - kept), spaces → -.
    const slug = (h: string) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
        .replace(/ /g, "-");
    const anchors = new Set([...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });

  test("both guides have the same chapters and the same commands", () => {
    const [en, ja] = GUIDES.map((g) => readFileSync(join(ROOT, g), "utf8"));
    const chapters = (t: string) => [...t.matchAll(/^##+ (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]);
    expect(chapters(ja)).toEqual(chapters(en));
    const blocks = (t: string) =>
      fencedBlocks(t)
        .filter((b) => SHELL_LANGS.has(b.lang))
        .map((b) => commandsOf(shellLines(b.body, b.lang)).map(strip));
    expect(blocks(ja)).toEqual(blocks(en));
  });

  test("the checks catch what they must: a missing stack, script, npm script, secret, role policy or tag", () => {
    const probe = (line: string) => docProblems(facts, { name: "probe", text: line, lines: [line], inline: [] });
    expect(probe("npx cdktf deploy markmail-dev-nope --ignore-missing-stack-dependencies")).toEqual(
      expect.arrayContaining([expect.stringMatching(/markmail-dev-nope matches no stack/)]),
    );
    expect(probe("npx cdktf deploy markmail-dev-network --no-such-flag")).toEqual([expect.stringMatching(/no option --no-such-flag/)]);
    expect(probe("npx cdktf deploy 'markmail-dev-*'")).toEqual([]);
    expect(probe("npm run deploy -- dev --destroy")).toEqual([]);
    expect(probe("npm run deploy -- qa")).toEqual([expect.stringMatching(/qa: not an environment/)]);
    expect(probe("npm run deploy -- dev --force")).toEqual([expect.stringMatching(/unknown option/)]);
    expect(probe("scripts/db/nope.sh dev")).toEqual([expect.stringMatching(/no such file/)]);
    expect(probe("npm run no-such-script")).toEqual([expect.stringMatching(/no such script/)]);
    expect(probe("npx cdk deploy MarkMail-dev-ECSServiceStack")).toEqual(expect.arrayContaining([expect.stringMatching(/AWS CDK/)]));
    expect(probe("aws secretsmanager get-secret-value --secret-id markmail-dev-nope-secret")).not.toEqual([]);
    expect(probe("aws iam get-role-policy --role-name markmail-dev-task-role --policy-name Nope")).not.toEqual([]);
    expect(probe('aws ec2 describe-instances --filters "Name=tag:Name,Values=markmail-dev-nope"')).not.toEqual([]);
    expect(probe("aws ecs update-service --cluster markmail-dev --service markmail-dev-nope --force-new-deployment")).not.toEqual([]);
    expect(probe("aws rds create-db-instance --db-instance-identifier markmail-dev-restore-x --db-cluster-identifier $C")).toEqual([]);
  });
});
