/**
 * Security guardrails over the whole synthesized app, without external tools: the core of the
 * OPA policy set (policies/, MM-NNN ids in the messages) re-stated over cdk.tf.json, so `npm test`
 * alone catches a regression. Each rule is a function from one stack's JSON to findings; the first
 * block proves each can fail on a hand-made bad resource, the second runs all of them on every stack
 * of every environment (with the bastion, with and without domains). Rules assert over whatever
 * resources exist, so a layer that is still empty passes vacuously. The patterns and allow-lists
 * are the gate's own (policies/data via constructs/policy-data.ts); findings that
 * scripts/policy/pending-denies.json lists as waiting for a construct change are reported apart,
 * exactly as scripts/policy/check.sh does.
 */
import pending from "../scripts/policy/pending-denies.json";
import {
  ALLOWED_MANAGED_POLICIES,
  ALLOWED_SSL_POLICIES,
  POLICY_DATA,
  isUnscopableAction,
  isWildcardAction,
  looksSecretName,
  normalisedPolicyArn,
  secretValueFinding,
} from "../constructs/policy-data";
import { FULL, PLAIN, synthApp, type TfJson } from "./helpers/synth";

type Body = Record<string, any>;
type Rule = (json: TfJson, env: string) => string[];

// ---- reading cdk.tf.json --------------------------------------------------------------------------

const META = "//";

/** [address, body] of every resource of a type (cdktf metadata keys skipped). */
function all(json: TfJson, type: string): [string, Body][] {
  return Object.entries(json.resource?.[type] ?? {})
    .filter(([name]) => name !== META)
    .map(([name, body]) => [`${type}.${name}`, body as Body]);
}

/** A nested block as a list: cdktf writes single blocks as objects, repeated ones as arrays. */
function blocks(value: unknown): Body[] {
  if (Array.isArray(value)) return value as Body[];
  if (value && typeof value === "object") return [value as Body];
  return [];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const isSet = (v: unknown) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
/** What names a resource (not its description: "from the ALB only" names a peer, not the group). */
const labels = (address: string, b: Body) =>
  [address, b.name, b.name_prefix, b.tags?.Name]
    .filter((x) => typeof x === "string")
    .join(" ")
    .toLowerCase();

/** `r` refers to `address` (a `${type.name.attr}` interpolation inside its value). */
const refersTo = (value: unknown, address: string) => JSON.stringify(value ?? null).includes(`\${${address}.`);

/** A literal CIDR entirely inside the gate's private ranges (policies/data/network); anything else is internet. */
function privateCidr(cidr: unknown): boolean {
  if (typeof cidr !== "string") return false;
  const parse = (c: string): { v6: boolean; bits: bigint; len: number } | undefined => {
    const [addr, lenText] = c.split("/");
    if (lenText === undefined || !/^\d+$/.test(lenText)) return undefined;
    const len = Number(lenText);
    if (addr.includes(":")) {
      const [head, tail = ""] = addr.split("::");
      const h = head ? head.split(":") : [];
      const t = addr.includes("::") ? (tail ? tail.split(":") : []) : [];
      const groups = addr.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
      if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g)) || len > 128) return undefined;
      return { v6: true, bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), len };
    }
    const octets = addr.split(".");
    if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255) || len > 32) return undefined;
    return { v6: false, bits: octets.reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n), len };
  };
  const c = parse(cidr);
  if (!c) return false;
  return POLICY_DATA.network.private_ranges.some(({ cidr: range }) => {
    const p = parse(range);
    if (!p || p.v6 !== c.v6 || c.len < p.len) return false;
    const width = BigInt(c.v6 ? 128 : 32);
    const shift = width - BigInt(p.len);
    return c.bits >> shift === p.bits >> shift;
  });
}

// ---- the rules ---------------------------------------------------------------------------------------

/**
 * MM-011: internet ingress (any source outside the private ranges, however split or written, or a
 * source that is not a literal CIDR) only on a group a load balancer of the same stack attaches,
 * that nothing else of the stack attaches, and only TCP 80/443. The group's role comes from the
 * references, never from its name.
 */
const worldIngress: Rule = (json) => {
  const refs = (v: unknown): string[] => JSON.stringify(v ?? null).match(/\$\{[^}]*\}|"[^"$]*"/g) ?? [];
  const keysOf = (v: unknown) =>
    new Set(refs(v).map((x) => x.replace(/^"|"$/g, "").replace(/^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.(id|arn|name)\}$/, "$1")));
  const lbKeys = new Set(
    POLICY_DATA.network.load_balancer_types.flatMap((t) => all(json, t).flatMap(([, lb]) => [...keysOf(lb.security_groups)])),
  );
  const otherKeys = new Set(
    POLICY_DATA.network.attachments
      .filter((a) => a.role !== "load_balancer")
      .flatMap((a) => all(json, a.type).flatMap(([, b]) => [...keysOf(valueAt(b, a.path))])),
  );
  const lbGroup = (keys: Set<string>) => [...keys].some((k) => lbKeys.has(k)) && ![...keys].some((k) => otherKeys.has(k));
  const webPort = (protocol: unknown, from: unknown, to: unknown) =>
    ["tcp", "6"].includes(String(protocol).toLowerCase()) &&
    Number(from) === Number(to) &&
    POLICY_DATA.network.web_ports.includes(Number(from));
  const internet = (sources: unknown[]) => sources.filter((c) => c !== undefined && c !== null && !privateCidr(c));
  const out: string[] = [];
  const judge = (address: string, keys: Set<string>, sources: unknown[], protocol: unknown, from: unknown, to: unknown) => {
    for (const c of internet(sources)) {
      if (!(lbGroup(keys) && webPort(protocol, from, to)))
        out.push(`[MM-011] ${address}: internet ingress from ${c} on ${protocol} ${from}-${to}`);
    }
  };
  for (const [address, sg] of all(json, "aws_security_group")) {
    for (const i of blocks(sg.ingress))
      judge(
        address,
        new Set([address]),
        [...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks), ...list(i.prefix_list_ids)],
        i.protocol,
        i.from_port,
        i.to_port,
      );
  }
  for (const [address, r] of all(json, "aws_security_group_rule")) {
    if (r.type !== "egress")
      judge(
        address,
        keysOf(r.security_group_id),
        [...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks), ...list(r.prefix_list_ids)],
        r.protocol,
        r.from_port,
        r.to_port,
      );
  }
  for (const [address, r] of all(json, "aws_vpc_security_group_ingress_rule")) {
    judge(address, keysOf(r.security_group_id), [r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id], r.ip_protocol, r.from_port, r.to_port);
  }
  return out;
};

/** The value at a dotted path through nested blocks (single blocks are objects in cdk.tf.json). */
function valueAt(body: unknown, path: string): unknown[] {
  let cur: unknown[] = [body];
  for (const seg of path.split("."))
    cur = cur.flatMap((v) =>
      blocks(v)
        .map((b) => b[seg])
        .filter((x) => x !== undefined),
    );
  return cur;
}

/** MM-009 / MM-010 / MM-016 / MM-017: no public database, task or bastion address; no bastion ingress. */
const noPublicAddresses: Rule = (json) => {
  const out: string[] = [];
  for (const type of ["aws_rds_cluster_instance", "aws_db_instance"]) {
    for (const [a, b] of all(json, type)) if (b.publicly_accessible === true) out.push(`[MM-009] ${a}: publicly accessible`);
  }
  for (const [a, b] of all(json, "aws_ecs_service")) {
    if (blocks(b.network_configuration).some((n) => n.assign_public_ip === true)) out.push(`[MM-010] ${a}: assign_public_ip`);
  }
  for (const [a, b] of all(json, "aws_instance")) {
    if (b.associate_public_ip_address !== false) out.push(`[MM-016] ${a}: associate_public_ip_address must be false`);
    if (!blocks(b.metadata_options).some((m) => m.http_tokens === "required")) out.push(`[MM-015] ${a}: IMDSv2 not required`);
    if (!blocks(b.root_block_device).every((d) => d.encrypted === true) || blocks(b.root_block_device).length === 0) {
      out.push(`[CKV_AWS_8] ${a}: root volume not encrypted`);
    }
  }
  const bastionGroups = all(json, "aws_security_group").filter(([a, b]) => labels(a, b).includes("bastion"));
  for (const [a, b] of bastionGroups) if (blocks(b.ingress).length > 0) out.push(`[MM-017] ${a}: bastion group has ingress`);
  for (const type of ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"]) {
    for (const [a, r] of all(json, type)) {
      if (type === "aws_security_group_rule" && r.type !== "ingress") continue;
      const onBastion =
        bastionGroups.some(([g]) => refersTo(r.security_group_id, g)) ||
        /bastion/i.test(String(r.security_group_id ?? "").split(".outputs.")[1] ?? "");
      if (onBastion) out.push(`[MM-017] ${a}: ingress rule on the bastion group`);
    }
  }
  return out;
};

/** MM-001..MM-007: encryption at rest with customer-managed keys, Redis in transit too. */
const encryption: Rule = (json) => {
  const out: string[] = [];
  const need = (type: string, id: string, ok: (b: Body) => boolean, what: string) => {
    for (const [a, b] of all(json, type)) if (!ok(b)) out.push(`[${id}] ${a}: ${what}`);
  };
  need("aws_rds_cluster", "MM-001", (b) => b.storage_encrypted === true && isSet(b.kms_key_id), "storage_encrypted with kms_key_id");
  need("aws_sns_topic", "MM-003", (b) => isSet(b.kms_master_key_id), "kms_master_key_id");
  need("aws_cloudwatch_log_group", "MM-004", (b) => isSet(b.kms_key_id), "kms_key_id");
  need(
    "aws_ecr_repository",
    "MM-005",
    (b) => blocks(b.encryption_configuration).some((e) => e.encryption_type === "KMS"),
    "KMS encryption",
  );
  need("aws_secretsmanager_secret", "MM-006", (b) => isSet(b.kms_key_id), "kms_key_id");
  need(
    "aws_elasticache_replication_group",
    "MM-007",
    (b) =>
      String(b.at_rest_encryption_enabled) === "true" &&
      b.transit_encryption_enabled === true &&
      b.transit_encryption_mode !== "preferred" &&
      isSet(b.kms_key_id),
    "at-rest (CMK) and in-transit encryption",
  );
  const sse = all(json, "aws_s3_bucket_server_side_encryption_configuration");
  for (const [a] of all(json, "aws_s3_bucket")) {
    const configs = sse.filter(([, c]) => refersTo(c.bucket, a));
    const algorithms = configs.flatMap(([, c]) =>
      blocks(c.rule).flatMap((r) => blocks(r.apply_server_side_encryption_by_default).map((d) => d.sse_algorithm)),
    );
    if (algorithms.length === 0) out.push(`[MM-002] ${a}: no default encryption`);
  }
  return out;
};

/** MM-029 / MM-030: every bucket blocks public access and has a TLS-only policy. */
const bucketHardening: Rule = (json) => {
  const out: string[] = [];
  const docs = Object.entries(json.data?.aws_iam_policy_document ?? {});
  for (const [a] of all(json, "aws_s3_bucket")) {
    const pab = all(json, "aws_s3_bucket_public_access_block").filter(([, p]) => refersTo(p.bucket, a));
    const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
    if (!pab.some(([, p]) => flags.every((f) => p[f] === true))) out.push(`[MM-029] ${a}: public access not fully blocked`);
    const policies = all(json, "aws_s3_bucket_policy").filter(([, p]) => refersTo(p.bucket, a));
    const statements = policies.flatMap(([, p]) =>
      docs.filter(([name]) => refersTo(p.policy, `data.aws_iam_policy_document.${name}`)).flatMap(([, d]) => blocks((d as Body).statement)),
    );
    const tlsOnly = statements.some(
      (s) =>
        s.effect === "Deny" &&
        blocks(s.condition).some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && list(c.values).includes("false")),
    );
    if (!tlsOnly) out.push(`[MM-030] ${a}: no TLS-only bucket policy`);
  }
  return out;
};

/** MM-023 / MM-032 / MM-033 / MM-037: containers parseable, no secret env names, read-only, unprivileged. */
const containers: Rule = (json) => {
  const out: string[] = [];
  for (const [a, td] of all(json, "aws_ecs_task_definition")) {
    let defs: Body[];
    try {
      defs = JSON.parse(td.container_definitions);
      if (!Array.isArray(defs)) throw new Error("not an array");
    } catch {
      out.push(`[MM-037] ${a}: container_definitions is not a JSON array`);
      continue;
    }
    for (const c of defs) {
      for (const e of list(c.environment) as Body[]) {
        if (looksSecretName(e.name)) out.push(`[MM-023] ${a}: container ${c.name} env ${e.name}`);
        const finding = typeof e.value === "string" ? secretValueFinding(e.value) : undefined;
        if (finding) out.push(`[MM-023] ${a}: container ${c.name} env ${e.name} value looks like a credential (${finding})`);
      }
      if (c.readonlyRootFilesystem !== true) out.push(`[MM-032] ${a}: container ${c.name} root filesystem writable`);
      if (c.privileged === true || c.privileged === "true") out.push(`[MM-033] ${a}: container ${c.name} privileged`);
      if (list(c.linuxParameters?.capabilities?.add).length > 0) out.push(`[MM-033] ${a}: container ${c.name} adds capabilities`);
      if (!c.logConfiguration?.logDriver) out.push(`[MM-038] ${a}: container ${c.name} without logConfiguration`);
    }
    for (const k of ["pid_mode", "ipc_mode", "network_mode"]) if (td[k] === "host") out.push(`[MM-033] ${a}: ${k} host`);
  }
  return out;
};

/** MM-018 / MM-019 / MM-020 / MM-021 / MM-022 / MM-031: protection of data and operations. */
const protection: Rule = (json, env) => {
  const out: string[] = [];
  const prod = env === "prod";
  for (const [a, b] of all(json, "aws_rds_cluster")) {
    const days = typeof b.backup_retention_period === "number" ? b.backup_retention_period : 1;
    if (days < (prod ? 14 : 7)) out.push(`[MM-020] ${a}: backups kept ${days} days`);
    if (prod && b.deletion_protection !== true) out.push(`[MM-018] ${a}: no deletion protection in prod`);
    if (prod && (b.skip_final_snapshot === true || !isSet(b.final_snapshot_identifier)))
      out.push(`[MM-019] ${a}: no final snapshot in prod`);
  }
  for (const [a, b] of all(json, "aws_lb")) {
    if (prod && b.enable_deletion_protection !== true) out.push(`[MM-018] ${a}: no deletion protection in prod`);
    if ((b.load_balancer_type ?? "application") === "application" && b.drop_invalid_header_fields !== true)
      out.push(`[MM-014] ${a}: keeps invalid headers`);
  }
  for (const [a, b] of all(json, "aws_cloudwatch_log_group")) {
    if (!(typeof b.retention_in_days === "number" && b.retention_in_days > 0)) out.push(`[MM-021] ${a}: no retention`);
  }
  for (const [a, b] of all(json, "aws_ecs_cluster")) {
    if (!blocks(b.setting).some((s) => s.name === "containerInsights" && ["enabled", "enhanced"].includes(s.value)))
      out.push(`[MM-022] ${a}: Container Insights off`);
  }
  for (const [a, b] of all(json, "aws_secretsmanager_secret"))
    if (b.recovery_window_in_days === 0) out.push(`[MM-031] ${a}: recovery window 0`);
  for (const [a, b] of all(json, "aws_ecr_repository")) {
    if (!["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"].includes(b.image_tag_mutability)) out.push(`[MM-028] ${a}: mutable tags`);
    if (!blocks(b.image_scanning_configuration).some((s) => s.scan_on_push === true)) out.push(`[MM-027] ${a}: no scan on push`);
  }
  return out;
};

/** MM-012 / MM-013: with a certificate, HTTP redirects to HTTPS and HTTPS uses a TLS 1.2+ policy. */
const tls: Rule = (json, env) => {
  const out: string[] = [];
  const listeners = all(json, "aws_lb_listener");
  const https = listeners.filter(([, l]) => ["HTTPS", "TLS"].includes(String(l.protocol).toUpperCase()));
  for (const [a, l] of https) {
    if (!ALLOWED_SSL_POLICIES.has(String(l.ssl_policy ?? ""))) out.push(`[MM-013] ${a}: ssl_policy ${l.ssl_policy}`);
  }
  if (https.length > 0 || all(json, "aws_acm_certificate").length > 0) {
    for (const [a, l] of listeners.filter(([, x]) => String(x.protocol).toUpperCase() === "HTTP")) {
      const actions = blocks(l.default_action);
      const redirects =
        actions.length > 0 &&
        actions.every((x) => x.type === "redirect" && blocks(x.redirect).some((r) => String(r.protocol).toUpperCase() === "HTTPS"));
      if (!redirects) out.push(`[MM-012] ${a}: HTTP does not redirect to HTTPS`);
    }
  }
  // MM-041: in prod no listener without TLS forwards, by default action or by a listener rule.
  const plain = listeners.filter(([, l]) => !POLICY_DATA.tls.tls_protocols.includes(String(l.protocol ?? "HTTP").toUpperCase()));
  const forwards = (actions: unknown) =>
    blocks(actions).some(
      (x) =>
        !POLICY_DATA.tls.non_forwarding_actions.includes(String(x.type)) ||
        (x.type === "redirect" && !blocks(x.redirect).some((r) => String(r.protocol).toUpperCase() === "HTTPS")),
    );
  if (env === "prod") {
    for (const [a, l] of plain)
      if (forwards(l.default_action)) out.push(`[MM-041] ${a}: prod listener without TLS forwards application traffic`);
    for (const [a, r] of all(json, "aws_lb_listener_rule")) {
      const onTls = https.some(([l]) => refersTo(r.listener_arn, l));
      if (!onTls && forwards(r.action)) out.push(`[MM-041] ${a}: prod listener rule forwards on a listener without TLS`);
    }
  }
  return out;
};

/** MM-025 / MM-026: no wildcard actions; no "*" resource where the action can be scoped. */
const iam: Rule = (json) => {
  const out: string[] = [];
  // Endpoint policies (policies/data/iam principal_star_allowed) are bounded by MM-046, not MM-025.
  const endpointDocs = new Set(
    POLICY_DATA.iam.principal_star_allowed.flatMap(({ attribute }) => {
      const [type, attr] = attribute.split(".");
      return all(json, type).flatMap(([, b]) =>
        [...JSON.stringify(b[attr] ?? null).matchAll(/data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json/g)].map((m) => m[1]),
      );
    }),
  );
  for (const [name, doc] of Object.entries(json.data?.aws_iam_policy_document ?? {})) {
    if (name === META) continue;
    for (const s of blocks((doc as Body).statement)) {
      if ((s.effect ?? "Allow") !== "Allow") continue;
      if (endpointDocs.has(name)) continue;
      const principals = blocks(s.principals);
      const rootOnly =
        principals.length > 0 &&
        principals.every((p) => p.type === "AWS" && list(p.identifiers).every((i) => /:root$|^\d{12}$/.test(String(i))));
      for (const action of list(s.actions).map(String)) {
        if (isWildcardAction(action) && !(action.toLowerCase() === "kms:*" && rootOnly))
          out.push(`[MM-025] data.aws_iam_policy_document.${name}: Allow statement with wildcard action "${action}"`);
      }
      if (list(s.not_actions).length > 0) out.push(`[MM-025] data.aws_iam_policy_document.${name}: NotAction`);
      if (principals.length === 0 && list(s.resources).includes("*")) {
        const scoped = list(s.actions)
          .map(String)
          .filter((a) => !isUnscopableAction(a));
        if (scoped.length > 0) out.push(`[MM-026] data.aws_iam_policy_document.${name}: Resource "*" for ${scoped.join(", ")}`);
      }
    }
  }
  for (const type of ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment"]) {
    for (const [a, b] of all(json, type)) {
      const arn = String(b.policy_arn);
      const customer = /^\$\{aws_iam_policy\./.test(arn);
      if (!customer && !ALLOWED_MANAGED_POLICIES.has(normalisedPolicyArn(arn)))
        out.push(`[MM-039] ${a}: ${b.policy_arn} is not an allow-listed AWS-managed policy`);
    }
  }
  return out;
};

/** MM-024: the provider tags everything with Project, Environment, Layer, ManagedBy. */
const tags: Rule = (json, env) => {
  const out: string[] = [];
  const providers = list(json.provider?.aws) as Body[];
  if (providers.length === 0) return ["[MM-024] stack: no aws provider"];
  for (const p of providers) {
    const t = blocks(p.default_tags)[0]?.tags ?? {};
    for (const k of ["Project", "Environment", "Layer", "ManagedBy"])
      if (!isSet(t[k])) out.push(`[MM-024] provider ${p.alias ?? "aws"}: no ${k} tag`);
    if (t.Environment !== undefined && t.Environment !== env)
      out.push(`[MM-024] provider ${p.alias ?? "aws"}: Environment ${t.Environment} in a ${env} stack`);
  }
  return out;
};

/** No literal secret values: secret versions only carry placeholders or references. */
const noLiteralSecrets: Rule = (json) => {
  const out: string[] = [];
  for (const [a, b] of all(json, "aws_secretsmanager_secret_version")) {
    const value = b.secret_string;
    if (typeof value !== "string" || value.includes("${")) continue;
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(value);
    } catch {
      fields = { value };
    }
    for (const [k, v] of Object.entries(fields ?? {})) {
      if (typeof v === "string" && v.length > 0 && !/REPLACE_ME|CHANGE_ME|PLACEHOLDER/i.test(v) && /password|secret|token|key/i.test(k)) {
        out.push(`[secret] ${a}: literal value for ${k}`);
      }
    }
  }
  for (const [a, b] of all(json, "aws_elasticache_replication_group")) {
    if (typeof b.auth_token === "string" && b.auth_token !== "" && !b.auth_token.includes("${"))
      out.push(`[MM-008] ${a}: literal auth_token`);
  }
  return out;
};

/** MM-035 / MM-036: every VPC has a flow log and a managed, closed default security group. */
const vpcBaseline: Rule = (json) => {
  const out: string[] = [];
  for (const [vpc] of all(json, "aws_vpc")) {
    if (!all(json, "aws_flow_log").some(([, f]) => refersTo(f.vpc_id, vpc))) out.push(`[MM-035] ${vpc}: no flow log`);
    const defaults = all(json, "aws_default_security_group").filter(([, d]) => refersTo(d.vpc_id, vpc));
    if (defaults.length === 0) out.push(`[MM-036] ${vpc}: default security group not managed`);
    for (const [a, d] of defaults)
      if (blocks(d.ingress).length + blocks(d.egress).length > 0) out.push(`[MM-036] ${a}: default security group has rules`);
  }
  return out;
};

/** scripts/policy/pending-denies.json: gate findings that wait for a construct change. */
type PendingDeny = { rule: string; stacks: string; match: string; fix: string };
const PENDING: PendingDeny[] = pending.pending_denies as PendingDeny[];
const TS_RULE_IDS = new Set(["MM-011", "MM-025", "MM-041"]);
const globRe = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
const pendingEntry = (stack: string, finding: string) =>
  PENDING.find((p) => finding.startsWith(`[${p.rule}]`) && globRe(p.stacks).test(stack) && finding.includes(p.match));
const isPending = (stack: string, finding: string) => pendingEntry(stack, finding) !== undefined;

const RULES: Record<string, Rule> = {
  worldIngress,
  noPublicAddresses,
  encryption,
  bucketHardening,
  containers,
  protection,
  tls,
  iam,
  tags,
  noLiteralSecrets,
  vpcBaseline,
};

// ---- every rule can fail -------------------------------------------------------------------------------

function stack(resource: Record<string, Record<string, Body>>, extra: Partial<TfJson> = {}, env = "dev"): TfJson {
  return {
    provider: {
      aws: [
        {
          region: "ap-northeast-1",
          default_tags: [{ tags: { Project: "MarkMail", Environment: env, Layer: "test", ManagedBy: "cdktf" } }],
        },
      ],
    },
    resource,
    ...extra,
  };
}

describe("guardrail rules fail on bad resources", () => {
  test("MM-011: only the load balancer's own group is open to the internet, and only on TCP 80/443", () => {
    const sg = {
      alb: { name: "markmail-dev-alb-sg", description: "ALB" },
      ecs: { name: "markmail-dev-ecs-sg", description: "container port from the ALB only" },
    };
    const lb = { alb: { name: "markmail-dev-alb", security_groups: ["${aws_security_group.alb.id}"] } };
    const rule = (r: Body, extra: Record<string, Record<string, Body>> = {}) =>
      stack({ aws_security_group: sg, aws_lb: lb, aws_vpc_security_group_ingress_rule: { r }, ...extra });
    const https = {
      security_group_id: "${aws_security_group.alb.id}",
      cidr_ipv4: "0.0.0.0/0",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
    };
    expect(worldIngress(rule(https), "dev")).toEqual([]);
    expect(worldIngress(rule({ ...https, security_group_id: "${aws_security_group.ecs.id}" }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-011\]/),
    ]);
    expect(worldIngress(rule({ ...https, from_port: 22, to_port: 22 }), "dev")).toHaveLength(1);
    expect(worldIngress(rule({ ...https, ip_protocol: "-1", from_port: undefined, to_port: undefined }), "dev")).toHaveLength(1);
    const inline = stack({
      aws_security_group: {
        db: { name: "db", ingress: [{ cidr_blocks: ["0.0.0.0/0"], protocol: "tcp", from_port: 5432, to_port: 5432 }] },
      },
    });
    expect(worldIngress(inline, "dev")).toEqual([expect.stringContaining("aws_security_group.db")]);
    const legacy = stack({
      aws_security_group_rule: {
        r: {
          type: "ingress",
          security_group_id: "${aws_security_group.x.id}",
          ipv6_cidr_blocks: ["::/0"],
          protocol: "tcp",
          from_port: 80,
          to_port: 80,
        },
      },
    });
    expect(worldIngress(legacy, "dev")).toHaveLength(1);
    // a name is not a role: the group named for the ALB without a load balancer attaching it
    expect(worldIngress(stack({ aws_security_group: sg, aws_vpc_security_group_ingress_rule: { r: https } }), "dev")).toHaveLength(1);
    // the load balancer's group shared with the tasks is not the load balancer's any more
    const shared = { aws_ecs_service: { s: { network_configuration: { security_groups: ["${aws_security_group.alb.id}"] } } } };
    expect(worldIngress(rule(https, shared), "dev")).toHaveLength(1);
    // split halves, 2000::/3, non-canonical ::/0, a single public address, a reference
    for (const cidr of ["0.0.0.0/1", "128.0.0.0/1", "203.0.113.7/32", "${var.office}"]) {
      expect([
        cidr,
        worldIngress(rule({ ...https, security_group_id: "${aws_security_group.ecs.id}", cidr_ipv4: cidr }), "dev").length,
      ]).toEqual([cidr, 1]);
    }
    for (const cidr of ["2000::/3", "0::/0"]) {
      expect([
        cidr,
        worldIngress(rule({ ...https, security_group_id: "${aws_security_group.ecs.id}", cidr_ipv4: undefined, cidr_ipv6: cidr }), "dev")
          .length,
      ]).toEqual([cidr, 1]);
    }
    expect(worldIngress(rule({ ...https, security_group_id: "${aws_security_group.ecs.id}", cidr_ipv4: "10.30.0.0/16" }), "dev")).toEqual(
      [],
    );
  });

  test("MM-009/010/015/016/017: no public database, task or bastion address; IMDSv2; no bastion ingress", () => {
    expect(noPublicAddresses(stack({ aws_rds_cluster_instance: { w: { publicly_accessible: true } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-009\]/),
    ]);
    expect(noPublicAddresses(stack({ aws_ecs_service: { s: { network_configuration: { assign_public_ip: true } } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-010\]/),
    ]);
    const host = {
      associate_public_ip_address: false,
      metadata_options: { http_tokens: "required" },
      root_block_device: { encrypted: true },
    };
    expect(noPublicAddresses(stack({ aws_instance: { b: host } }), "dev")).toEqual([]);
    expect(noPublicAddresses(stack({ aws_instance: { b: { ...host, associate_public_ip_address: undefined } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-016\]/),
    ]);
    expect(noPublicAddresses(stack({ aws_instance: { b: { ...host, metadata_options: { http_tokens: "optional" } } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-015\]/),
    ]);
    expect(noPublicAddresses(stack({ aws_instance: { b: { ...host, root_block_device: { encrypted: false } } } }), "dev")).toEqual([
      expect.stringMatching(/CKV_AWS_8/),
    ]);
    const bastion = stack({
      aws_security_group: { bastion: { name: "markmail-dev-bastion-sg" } },
      aws_vpc_security_group_ingress_rule: {
        ssh: {
          security_group_id: "${aws_security_group.bastion.id}",
          cidr_ipv4: "10.0.0.0/8",
          ip_protocol: "tcp",
          from_port: 22,
          to_port: 22,
        },
      },
    });
    expect(noPublicAddresses(bastion, "dev")).toEqual([expect.stringMatching(/^\[MM-017\] aws_vpc_security_group_ingress_rule.ssh/)]);
    // a group whose description mentions the bastion as a peer is not the bastion group
    const database = stack({
      aws_security_group: { db: { name: "markmail-dev-database", description: "Aurora: from ECS tasks and the bastion only" } },
      aws_vpc_security_group_ingress_rule: {
        in: {
          security_group_id: "${aws_security_group.db.id}",
          referenced_security_group_id: "${aws_security_group.bastion.id}",
          ip_protocol: "tcp",
          from_port: 5432,
          to_port: 5432,
        },
      },
    });
    expect(noPublicAddresses(database, "dev")).toEqual([]);
  });

  test("MM-001..MM-007: encryption at rest with customer-managed keys", () => {
    const bad = stack({
      aws_rds_cluster: { c: { storage_encrypted: true } },
      aws_sns_topic: { t: { name: "x" } },
      aws_cloudwatch_log_group: { l: { retention_in_days: 30 } },
      aws_ecr_repository: { r: { encryption_configuration: [{ encryption_type: "AES256" }] } },
      aws_secretsmanager_secret: { s: { name: "x" } },
      aws_elasticache_replication_group: {
        g: {
          at_rest_encryption_enabled: "true",
          transit_encryption_enabled: true,
          transit_encryption_mode: "preferred",
          kms_key_id: "${k}",
        },
      },
      aws_s3_bucket: { b: { bucket: "x" } },
    });
    expect(
      encryption(bad, "dev")
        .map((f) => f.slice(0, 8))
        .sort(),
    ).toEqual(["[MM-001]", "[MM-002]", "[MM-003]", "[MM-004]", "[MM-005]", "[MM-006]", "[MM-007]"]);
    const good = stack({
      aws_s3_bucket: { b: { bucket: "x" } },
      aws_s3_bucket_server_side_encryption_configuration: {
        e: { bucket: "${aws_s3_bucket.b.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] },
      },
    });
    expect(encryption(good, "dev")).toEqual([]);
  });

  test("MM-029/030: buckets block public access and deny plain HTTP", () => {
    const flags = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    const tlsDoc = {
      statement: [{ effect: "Deny", actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }],
    };
    const good = stack(
      {
        aws_s3_bucket: { b: { bucket: "x" } },
        aws_s3_bucket_public_access_block: { p: { bucket: "${aws_s3_bucket.b.id}", ...flags } },
        aws_s3_bucket_policy: { pol: { bucket: "${aws_s3_bucket.b.id}", policy: "${data.aws_iam_policy_document.d.json}" } },
      },
      { data: { aws_iam_policy_document: { d: tlsDoc } } },
    );
    expect(bucketHardening(good, "dev")).toEqual([]);
    const bad = stack(
      {
        aws_s3_bucket: { b: { bucket: "x" } },
        aws_s3_bucket_public_access_block: { p: { bucket: "${aws_s3_bucket.b.id}", ...flags, restrict_public_buckets: false } },
      },
      { data: { aws_iam_policy_document: { d: tlsDoc } } },
    );
    expect(bucketHardening(bad, "dev").map((f) => f.slice(0, 8))).toEqual(["[MM-029]", "[MM-030]"]);
  });

  test("MM-023/032/033/037/038: container definitions", () => {
    const ok = {
      name: "backend",
      readonlyRootFilesystem: true,
      logConfiguration: { logDriver: "awslogs" },
      environment: [{ name: "JWT_SECRET_ARN", value: "arn" }],
    };
    const td = (defs: unknown) =>
      stack({ aws_ecs_task_definition: { t: { container_definitions: typeof defs === "string" ? defs : JSON.stringify(defs) } } });
    expect(containers(td([ok]), "dev")).toEqual([]);
    expect(containers(td([{ ...ok, environment: [{ name: "DATABASE_URL", value: "postgres://u:p@h/db" }] }]), "dev")).toEqual([
      expect.stringMatching(/^\[MM-023\].*DATABASE_URL$/),
      expect.stringMatching(/^\[MM-023\].*DATABASE_URL value looks like a credential \(url-password\)/),
    ]);
    // by value, whatever the name (the gate's patterns, policies/data/secrets)
    for (const value of ["sk_live_51HxYzAbCdEfGhIjKl", "AKIAIOSFODNN7EXAMPLE", "q8Zr2LmN5vXw7TyB4cD1eF6gH3jK9pQs"]) {
      expect(containers(td([{ ...ok, environment: [{ name: "SETTING", value }] }]), "dev")).toEqual([
        expect.stringMatching(/^\[MM-023\].*value looks like a credential/),
      ]);
    }
    for (const name of ["SMTP_PASS", "DB_PWD", "STRIPE_SK", "OPENAI_KEY"]) {
      expect(containers(td([{ ...ok, environment: [{ name, value: "x" }] }]), "dev")).toEqual([
        expect.stringMatching(new RegExp(`^\\[MM-023\\].*${name}$`)),
      ]);
    }
    expect(containers(td([{ ...ok, readonlyRootFilesystem: false }]), "dev")).toEqual([expect.stringMatching(/^\[MM-032\]/)]);
    expect(containers(td([{ ...ok, privileged: true }]), "dev")).toEqual([expect.stringMatching(/^\[MM-033\]/)]);
    expect(containers(td([{ ...ok, logConfiguration: undefined }]), "dev")).toEqual([expect.stringMatching(/^\[MM-038\]/)]);
    expect(containers(td("${jsonencode([])}"), "dev")).toEqual([expect.stringMatching(/^\[MM-037\]/)]);
  });

  test("MM-014/018/019/020/021/022/027/028/031: protection and operations", () => {
    const cluster = {
      backup_retention_period: 30,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "final",
    };
    expect(protection(stack({ aws_rds_cluster: { c: cluster } }, {}, "prod"), "prod")).toEqual([]);
    expect(protection(stack({ aws_rds_cluster: { c: { ...cluster, deletion_protection: false } } }, {}, "prod"), "prod")).toEqual([
      expect.stringMatching(/^\[MM-018\]/),
    ]);
    expect(protection(stack({ aws_rds_cluster: { c: { ...cluster, skip_final_snapshot: true } } }, {}, "prod"), "prod")).toEqual([
      expect.stringMatching(/^\[MM-019\]/),
    ]);
    expect(protection(stack({ aws_rds_cluster: { c: { ...cluster, backup_retention_period: 7 } } }, {}, "prod"), "prod")).toEqual([
      expect.stringMatching(/^\[MM-020\]/),
    ]);
    // dev may be destroyed, but keeps a week of backups
    expect(protection(stack({ aws_rds_cluster: { c: { backup_retention_period: 7, skip_final_snapshot: true } } }), "dev")).toEqual([]);
    expect(protection(stack({ aws_rds_cluster: { c: {} } }), "dev")).toEqual([expect.stringMatching(/^\[MM-020\]/)]);
    expect(protection(stack({ aws_lb: { a: { drop_invalid_header_fields: true } } }, {}, "prod"), "prod")).toEqual([
      expect.stringMatching(/^\[MM-018\]/),
    ]);
    expect(protection(stack({ aws_lb: { a: {} } }), "dev")).toEqual([expect.stringMatching(/^\[MM-014\]/)]);
    expect(protection(stack({ aws_cloudwatch_log_group: { l: {} } }), "dev")).toEqual([expect.stringMatching(/^\[MM-021\]/)]);
    expect(protection(stack({ aws_ecs_cluster: { c: { setting: [{ name: "containerInsights", value: "disabled" }] } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-022\]/),
    ]);
    expect(protection(stack({ aws_ecr_repository: { r: { image_scanning_configuration: { scan_on_push: true } } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-028\]/),
    ]);
    expect(protection(stack({ aws_ecr_repository: { r: { image_tag_mutability: "IMMUTABLE" } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-027\]/),
    ]);
    expect(protection(stack({ aws_secretsmanager_secret: { s: { recovery_window_in_days: 0 } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-031\]/),
    ]);
  });

  test("MM-012/013: HTTPS redirect and TLS 1.2+ once a certificate exists", () => {
    const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } };
    const forward = { type: "forward", target_group_arn: "${aws_lb_target_group.f.arn}" };
    const alb = (http: Body, policy: string) =>
      stack({
        aws_lb_listener: {
          http: { protocol: "HTTP", port: 80, default_action: [http] },
          https: { protocol: "HTTPS", port: 443, ssl_policy: policy, default_action: [forward] },
        },
      });
    expect(tls(alb(redirect, "ELBSecurityPolicy-TLS13-1-2-2021-06"), "dev")).toEqual([]);
    expect(tls(alb(forward, "ELBSecurityPolicy-TLS13-1-2-2021-06"), "dev")).toEqual([expect.stringMatching(/^\[MM-012\]/)]);
    expect(tls(alb(redirect, "ELBSecurityPolicy-2016-08"), "dev")).toEqual([expect.stringMatching(/^\[MM-013\]/)]);
    // no certificate: plain HTTP is the design
    expect(tls(stack({ aws_lb_listener: { http: { protocol: "HTTP", port: 80, default_action: [forward] } } }), "dev")).toEqual([]);
  });

  test("MM-025/026/039: IAM wildcards and admin policies", () => {
    const doc = (statement: Body) => stack({}, { data: { aws_iam_policy_document: { d: { statement: [statement] } } } });
    expect(iam(doc({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }), "dev")).toEqual([]);
    expect(
      iam(
        doc({ principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:root"] }], actions: ["kms:*"], resources: ["*"] }),
        "dev",
      ),
    ).toEqual([]);
    expect(iam(doc({ actions: ["s3:*"], resources: ["arn:aws:s3:::x/*"] }), "dev")).toEqual([expect.stringMatching(/^\[MM-025\]/)]);
    expect(iam(doc({ actions: ["kms:*"], resources: ["arn:aws:kms:ap-northeast-1:111122223333:key/k"] }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-025\]/),
    ]);
    expect(iam(doc({ actions: ["iam:PassRole"], resources: ["*"] }), "dev")).toEqual([expect.stringMatching(/^\[MM-026\].*iam:PassRole/)]);
    expect(
      iam(doc({ effect: "Deny", actions: ["s3:*"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] }), "dev"),
    ).toEqual([]);
    // an endpoint policy's Action "*" is bounded by its account condition (MM-046); the same document on a role is not
    const star = { principals: [{ type: "*", identifiers: ["*"] }], actions: ["*"], resources: ["*"] };
    const onEndpoint = stack(
      { aws_vpc_endpoint: { e: { policy: "${data.aws_iam_policy_document.d.json}" } } },
      { data: { aws_iam_policy_document: { d: { statement: [star] } } } },
    );
    expect(iam(onEndpoint, "dev")).toEqual([]);
    const onRole = stack(
      { aws_iam_role_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}" } } },
      { data: { aws_iam_policy_document: { d: { statement: [star] } } } },
    );
    expect(iam(onRole, "dev")).toEqual([expect.stringMatching(/^\[MM-025\].*"\*"/)]);
    const admin = stack({ aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } });
    expect(iam(admin, "dev")).toEqual([expect.stringMatching(/^\[MM-039\]/)]);
  });

  test("MM-035/036: flow log and closed default security group per VPC", () => {
    const vpc = { aws_vpc: { v: { cidr_block: "10.10.0.0/16" } } };
    const log = { aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}", traffic_type: "ALL" } } };
    const closed = { aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}" } } };
    expect(vpcBaseline(stack({ ...vpc, ...log, ...closed }), "dev")).toEqual([]);
    expect(vpcBaseline(stack({ ...vpc, ...closed }), "dev")).toEqual([expect.stringMatching(/^\[MM-035\]/)]);
    expect(vpcBaseline(stack({ ...vpc, ...log }), "dev")).toEqual([expect.stringMatching(/^\[MM-036\]/)]);
    const open = {
      aws_default_security_group: {
        d: { vpc_id: "${aws_vpc.v.id}", egress: [{ cidr_blocks: ["0.0.0.0/0"], protocol: "-1", from_port: 0, to_port: 0 }] },
      },
    };
    expect(vpcBaseline(stack({ ...vpc, ...log, ...open }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-036\] aws_default_security_group.d/),
    ]);
  });

  test("MM-024: provider default tags; literal secrets are refused", () => {
    expect(tags(stack({}), "dev")).toEqual([]);
    expect(tags(stack({}, {}, "prod"), "dev")).toEqual([expect.stringContaining("Environment prod in a dev stack")]);
    expect(tags({ resource: {} }, "dev")).toEqual(["[MM-024] stack: no aws provider"]);
    const version = (secret_string: string) => stack({ aws_secretsmanager_secret_version: { v: { secret_string } } });
    expect(noLiteralSecrets(version(JSON.stringify({ password: "REPLACE_ME" })), "dev")).toEqual([]);
    expect(noLiteralSecrets(version("${random_password.p.result}"), "dev")).toEqual([]);
    expect(noLiteralSecrets(version(JSON.stringify({ client_secret: "s3cr3t-value" })), "dev")).toEqual([
      expect.stringMatching(/client_secret/),
    ]);
    expect(noLiteralSecrets(stack({ aws_elasticache_replication_group: { g: { auth_token: "literal-token" } } }), "dev")).toEqual([
      expect.stringMatching(/^\[MM-008\]/),
    ]);
  });
});

// ---- the whole app ---------------------------------------------------------------------------------------

const VARIANTS: [string, Record<string, string>, number][] = [
  ["without domains", PLAIN, 27],
  // The domains' zones created by the app: three dns stacks more.
  ["with domains", FULL, 30],
];

const pendingSeen = new Set<(typeof PENDING)[number]>();

describe.each(VARIANTS)("every stack of every environment, %s, with the bastion", (_label, vars, count) => {
  const stacks = [...synthApp(vars)].map(([id, json]) => ({ id, env: id.split("-")[1], json }));

  test("three environments, eight layers and the bastion (and the dns layer where the app creates the zone)", () => {
    expect(stacks).toHaveLength(count);
    expect(stacks.filter(({ id }) => id.endsWith("-dns"))).toHaveLength(count - 27);
  });

  test.each(Object.keys(RULES))("%s: no findings (apart from pending construct gaps)", (name) => {
    const found = stacks.flatMap(({ id, env, json }) =>
      RULES[name](json, env)
        .filter((f) => !isPending(id, f))
        .map((f) => `${id}: ${f}`),
    );
    expect(found).toEqual([]);
  });

  test("pending construct gaps these rules see", () => {
    for (const { id, env, json } of stacks) {
      for (const rule of Object.values(RULES)) for (const f of rule(json, env)) if (isPending(id, f)) pendingSeen.add(pendingEntry(id, f)!);
    }
  });

  test("the HTTPS listener exists exactly where a domain is set", () => {
    const withHttps = stacks
      .filter(({ json }) => all(json, "aws_lb_listener").some(([, l]) => l.protocol === "HTTPS"))
      .map(({ id }) => id)
      .sort();
    const albStacks = stacks.filter(({ json }) => all(json, "aws_lb").length > 0).map(({ id }) => id);
    expect(albStacks.sort()).toEqual(["markmail-dev-alb", "markmail-prod-alb", "markmail-staging-alb"]);
    expect(withHttps).toEqual("DEV_DOMAIN" in vars ? albStacks : []);
  });

  test("the rules see what they guard (no vacuous pass)", () => {
    const count = (type: string) => stacks.reduce((n, { json }) => n + all(json, type).length, 0);
    const guarded = [
      "aws_vpc",
      "aws_security_group",
      "aws_vpc_security_group_ingress_rule",
      "aws_rds_cluster",
      "aws_elasticache_replication_group",
      "aws_secretsmanager_secret",
      "aws_lb",
      "aws_lb_listener",
      "aws_ecs_cluster",
      "aws_ecs_task_definition",
      "aws_ecs_service",
      "aws_ecr_repository",
      "aws_cloudwatch_log_group",
      "aws_sns_topic",
      "aws_s3_bucket",
      "aws_instance",
    ];
    expect(guarded.filter((type) => count(type) === 0)).toEqual([]);
    expect(stacks.reduce((n, { json }) => n + Object.keys(json.data?.aws_iam_policy_document ?? {}).length, 0)).toBeGreaterThan(0);
  });
});

// Runs after both variants (jest runs describe blocks in order within a file).
describe("pending construct gaps", () => {
  test("every pending entry of a rule these guardrails re-state still matches a finding (else the construct fix landed: remove it)", () => {
    const covered = PENDING.filter((p) => TS_RULE_IDS.has(p.rule));
    expect(covered.filter((p) => !pendingSeen.has(p)).map((p) => `${p.rule} ${p.stacks} ${p.match}`)).toEqual([]);
  });
});
