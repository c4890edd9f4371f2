#!/usr/bin/env node
// Offline plan support for scripts/engine/verify.sh (no dependencies, plain Node).
//
//   node scripts/engine/offline-plan.js prepare <stacksDir> <stackId> <workDir> <endpoint> <statesDir>
//     writes <workDir>/offline_override.tf.json (Terraform merges *_override.tf.json files):
//     local backend, the aws provider pointed at a local AWS emulator (moto) with fake credentials
//     and the skip flags, and every terraform_remote_state read redirected to a local state file
//     in <statesDir> that holds the upstream stack's outputs as plausible fakes.
//   node scripts/engine/offline-plan.js state <stacksDir> <stackId>
//     prints the fake state file of one producer stack (for inspection).
//
// The fake values are derived from the producer's own output expressions: an output
// `${aws_subnet.x.id}` becomes "subnet-<hex>", `${aws_kms_key.k.arn}` a KMS key ARN in account
// 123456789012 (moto's default account), and a literal attribute in the producer's resource
// config (a name, a family) is used as is. Everything is deterministic (hashes of the address).

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ACCOUNT = "123456789012";

/** AWS services the stacks talk to at plan time or that a plan could touch, by endpoint key. */
const ENDPOINT_SERVICES = [
  "acm",
  "appautoscaling",
  "autoscaling",
  "cloudwatch",
  "codebuild",
  "codeconnections",
  "codepipeline",
  "codestarconnections",
  "dynamodb",
  "ec2",
  "ecr",
  "ecs",
  "elasticache",
  "elbv2",
  "events",
  "iam",
  "kms",
  "lambda",
  "logs",
  "rds",
  "route53",
  "s3",
  "secretsmanager",
  "ses",
  "sesv2",
  "sns",
  "sqs",
  "ssm",
  "sts",
  "wafv2",
];

const hex = (seed, n) => crypto.createHash("sha256").update(seed).digest("hex").slice(0, n);
const uuid = (seed) => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const isLiteral = (v) => typeof v === "string" && !v.includes("${");

function readStack(stacksDir, stackId) {
  return JSON.parse(fs.readFileSync(path.join(stacksDir, stackId, "cdk.tf.json"), "utf8"));
}

function regionOf(stack) {
  const p = stack.provider?.aws;
  const first = Array.isArray(p) ? p[0] : p;
  return (first && isLiteral(first.region) && first.region) || "ap-northeast-1";
}

/** A plausible physical name for a resource: its literal name-like attribute, else its address. */
function nameOf(cfg, fallback) {
  for (const key of ["name", "cluster_identifier", "replication_group_id", "bucket", "family", "name_prefix"]) {
    if (isLiteral(cfg[key])) return cfg[key];
  }
  return fallback
    .replace(/_[0-9A-F]{8}$/, "")
    .replace(/[^A-Za-z0-9-]/g, "-")
    .slice(0, 32);
}

const ID_PREFIX = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_security_group: "sg",
  aws_instance: "i",
  aws_internet_gateway: "igw",
  aws_nat_gateway: "nat",
  aws_route_table: "rtb",
  aws_eip: "eipalloc",
  aws_vpc_endpoint: "vpce",
  aws_network_acl: "acl",
};

function arnOf(type, name, region, seed) {
  const r = `${region}:${ACCOUNT}`;
  switch (type) {
    case "aws_lb":
      return `arn:aws:elasticloadbalancing:${r}:loadbalancer/app/${name}/${hex(seed, 16)}`;
    case "aws_lb_target_group":
      return `arn:aws:elasticloadbalancing:${r}:targetgroup/${name}/${hex(seed, 16)}`;
    case "aws_lb_listener":
      return `arn:aws:elasticloadbalancing:${r}:listener/app/${name}/${hex(seed, 16)}/${hex(`${seed}l`, 16)}`;
    case "aws_kms_key":
      return `arn:aws:kms:${r}:key/${uuid(seed)}`;
    case "aws_secretsmanager_secret":
      return `arn:aws:secretsmanager:${r}:secret:${name}-${hex(seed, 6)}`;
    case "aws_sns_topic":
      return `arn:aws:sns:${r}:${name}`;
    case "aws_iam_role":
      return `arn:aws:iam::${ACCOUNT}:role/${name}`;
    case "aws_iam_policy":
      return `arn:aws:iam::${ACCOUNT}:policy/${name}`;
    case "aws_ecr_repository":
      return `arn:aws:ecr:${r}:repository/${name}`;
    case "aws_ecs_cluster":
      return `arn:aws:ecs:${r}:cluster/${name}`;
    case "aws_ecs_service":
      return `arn:aws:ecs:${r}:service/${name}`;
    case "aws_cloudwatch_log_group":
      return `arn:aws:logs:${r}:log-group:${name}`;
    case "aws_s3_bucket":
      return `arn:aws:s3:::${name}`;
    case "aws_rds_cluster":
      return `arn:aws:rds:${r}:cluster:${name}`;
    case "aws_codestarconnections_connection":
      return `arn:aws:codeconnections:${r}:connection/${uuid(seed)}`;
    case "aws_acm_certificate":
      return `arn:aws:acm:${r}:certificate/${uuid(seed)}`;
    case "aws_wafv2_web_acl":
      return `arn:aws:wafv2:${r}:regional/webacl/${name}/${uuid(seed)}`;
    default: {
      const service = type.replace(/^aws_/, "").split("_")[0];
      return `arn:aws:${service}:${r}:${type.replace(/^aws_/, "")}/${name}`;
    }
  }
}

/** A fake value for `<type>.<name>.<attr>` of a producer stack (resource or data source). */
function fakeAttribute(stack, mode, type, resName, attr) {
  const block = mode === "data" ? stack.data : stack.resource;
  const cfg = block?.[type]?.[resName] || {};
  const region = regionOf(stack);
  const seed = `${mode}.${type}.${resName}`;
  if (isLiteral(cfg[attr])) return cfg[attr];
  const name = nameOf(cfg, resName);
  switch (attr) {
    case "id":
      if (ID_PREFIX[type]) return `${ID_PREFIX[type]}-${hex(seed, 17)}`;
      if (type === "aws_kms_key") return uuid(seed);
      return name;
    case "zone_id":
      return `Z${hex(seed, 20).toUpperCase()}`;
    case "arn":
      return arnOf(type, name, region, seed);
    case "arn_suffix":
      return arnOf(type, name, region, seed)
        .split(":")
        .pop()
        .replace(/^loadbalancer\//, "");
    case "dns_name":
      return `${name}-${parseInt(hex(seed, 8), 16)}.${region}.elb.amazonaws.com`;
    case "repository_url":
      return `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${name}`;
    case "endpoint":
      return `${name}.cluster-c${hex(seed, 11)}.${region}.rds.amazonaws.com`;
    case "reader_endpoint":
      return `${name}.cluster-ro-c${hex(seed, 11)}.${region}.rds.amazonaws.com`;
    case "primary_endpoint_address":
      return `master.${name}.${hex(seed, 6)}.apne1.cache.amazonaws.com`;
    case "name":
    case "cluster_identifier":
    case "family":
      return name;
    default:
      return `${name}-${attr}`;
  }
}

const REF = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/** A fake for an output value: references replaced by fakes; anything left unresolvable becomes "fake". */
function fakeValue(stack, value) {
  if (Array.isArray(value)) return value.map((v) => fakeValue(stack, v));
  if (typeof value !== "string") return value;
  const replaced = value.replace(REF, (_m, data, type, resName, attr) =>
    fakeAttribute(stack, data ? "data" : "resource", type, resName, attr),
  );
  return replaced.includes("${") ? "fake" : replaced;
}

const typeOf = (v) =>
  Array.isArray(v) ? ["tuple", v.map(typeOf)] : typeof v === "number" ? "number" : typeof v === "boolean" ? "bool" : "string";

/** The Terraform state (format 4) of a producer stack holding only its outputs, as fakes. */
function fakeState(stacksDir, stackId) {
  const stack = readStack(stacksDir, stackId);
  const outputs = {};
  for (const [key, out] of Object.entries(stack.output || {})) {
    const value = fakeValue(stack, out.value);
    outputs[key] = { value, type: typeOf(value), ...(out.sensitive ? { sensitive: true } : {}) };
  }
  return { version: 4, terraform_version: "1.11.4", serial: 1, lineage: uuid(stackId), outputs, resources: [], check_results: null };
}

/** The stack id a terraform_remote_state reader points at (cdktf names it cross-stack-reference-input-<id>). */
function upstreamOf(readerName, reader) {
  const m = /^cross-stack-reference-input-(.+)$/.exec(readerName);
  if (m) return m[1];
  const key = reader.config?.key;
  const k = typeof key === "string" && /^([^/]+)\/([^/]+)\/([^/]+)\.tfstate$/.exec(key);
  if (k) return `${k[1]}-${k[2]}-${k[3]}`;
  throw new Error(`cannot tell which stack terraform_remote_state.${readerName} reads`);
}

/** The override document for one stack, writing upstream state files into statesDir. */
function overrides(stacksDir, stackId, endpoint, statesDir) {
  const stack = readStack(stacksDir, stackId);
  const doc = {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: {
      aws: {
        region: regionOf(stack),
        access_key: "testing",
        secret_key: "testing",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        s3_use_path_style: true,
        endpoints: [Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, endpoint]))],
      },
    },
  };
  const readers = stack.data?.terraform_remote_state || {};
  const data = {};
  for (const [name, reader] of Object.entries(readers)) {
    const upstream = upstreamOf(name, reader);
    const file = path.resolve(statesDir, `${upstream}.tfstate`);
    if (!fs.existsSync(file)) {
      // Two plans may run at once; the content is deterministic, so write-then-rename is enough.
      fs.mkdirSync(statesDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(fakeState(stacksDir, upstream), null, 2));
      fs.renameSync(tmp, file);
    }
    data[name] = { backend: "local", config: { path: file } };
  }
  if (Object.keys(data).length) doc.data = { terraform_remote_state: data };
  return doc;
}

module.exports = { ACCOUNT, ENDPOINT_SERVICES, fakeAttribute, fakeState, fakeValue, overrides, upstreamOf };

if (require.main === module) {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === "prepare" && args.length === 5) {
    const [stacksDir, stackId, workDir, endpoint, statesDir] = args;
    fs.writeFileSync(
      path.join(workDir, "offline_override.tf.json"),
      JSON.stringify(overrides(stacksDir, stackId, endpoint, statesDir), null, 2),
    );
  } else if (cmd === "state" && args.length === 2) {
    process.stdout.write(`${JSON.stringify(fakeState(args[0], args[1]), null, 2)}\n`);
  } else {
    process.stderr.write(
      "usage: offline-plan.js prepare <stacksDir> <stackId> <workDir> <endpoint> <statesDir> | state <stacksDir> <stackId>\n",
    );
    process.exit(2);
  }
}
