import { invalid } from "./errors";

// Each pattern comes with the human-readable form printed when a value is rejected.
const DNS_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

export const FORMS = {
  domain: {
    // 64: the limit of an ACM certificate's first name (the environment's domain); *.<domain>
    // and mail.<domain> then stay within DNS's 253.
    re: new RegExp(`^(?=.{4,64}$)(?:${DNS_LABEL}\\.)+[a-z]{2,63}$`),
    form: "a lower-case DNS name of at most 64 characters (the ACM certificate name limit) such as dev.markmail.example.com",
  },
  hostname: {
    re: new RegExp(`^(?=.{4,253}$)(?:${DNS_LABEL}\\.)+[a-z]{2,63}$`),
    form: "a host name such as app.terraform.io or tfe.example.com",
  },
  accountId: {
    re: /^\d{12}$/,
    form: "a 12-digit AWS account id such as 123456789012",
  },
  email: {
    re: /^[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    form: "an e-mail address such as ops@example.com",
  },
  region: {
    re: /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/,
    form: "an AWS region code such as ap-northeast-1",
  },
  githubOwner: {
    re: /^(?!.*--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/,
    form: "a GitHub user or organization name (letters, digits, single hyphens, at most 39 characters)",
  },
  githubRepo: {
    re: /^(?!\.{1,2}$)(?!.*\.git$)[A-Za-z0-9._-]{1,100}$/,
    form: "a GitHub repository name without .git (letters, digits, '.', '_', '-', at most 100 characters)",
  },
  branch: {
    re: /^(?!refs\/)(?![/.-])(?!.*(?:\.\.|\/\/|@\{|\.lock$|\/$|\.$))[A-Za-z0-9._/-]{1,200}$/,
    form: "a git branch name such as main or release/2026-11 (without refs/heads/)",
  },
  bucket: {
    // S3 reserves the prefixes xn--, sthree-, amzn-s3-demo- and the suffixes -s3alias, --ol-s3,
    // .mrap, --x-s3 and --table-s3.
    re: /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    form: "an S3 bucket name (3-63 lower-case letters, digits, '.', '-'; not an S3-reserved prefix or suffix such as xn-- or -s3alias)",
  },
  table: {
    re: /^[A-Za-z0-9_.-]{3,255}$/,
    form: "a DynamoDB table name (3-255 letters, digits, '_', '.', '-')",
  },
  kmsAlias: {
    re: /^alias\/(?!aws\/)[A-Za-z0-9/_-]{1,250}$/,
    form: "a KMS alias such as alias/markmail-terraform-state (not an alias/aws/ key)",
  },
  tfcOrganization: {
    re: /^[A-Za-z0-9_-]{3,40}$/,
    form: "an HCP Terraform organization name (3-40 letters, digits, '_', '-')",
  },
  connectionArn: {
    re: /^arn:aws[a-z-]*:(?:codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
    form: "a CodeStar/CodeConnections connection ARN such as arn:aws:codeconnections:ap-northeast-1:123456789012:connection/<uuid>",
  },
} as const;

export type FormName = keyof typeof FORMS;

/** Returns the trimmed value of an optional input, or undefined when unset or empty. */
export function optional(vars: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = vars[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return value === "" ? undefined : value;
}

/** Checks a value against a named form and returns it unchanged. */
export function check(name: string, value: string, form: FormName): string {
  if (!FORMS[form].re.test(value)) throw invalid(name, value, FORMS[form].form);
  return value;
}

/** Reads an optional input and checks its form. */
export function optionalChecked(vars: NodeJS.ProcessEnv, name: string, form: FormName): string | undefined {
  const value = optional(vars, name);
  return value === undefined ? undefined : check(name, value, form);
}

/** Reads a strict boolean: only "true" or "false" (case-insensitive) are accepted. */
export function bool(vars: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = optional(vars, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw invalid(name, value, "true or false");
}

/** Reads a value that must be one of a closed set of choices. */
export function oneOf<T extends string>(vars: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T): T {
  const value = optional(vars, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw invalid(name, value, `one of ${choices.join(", ")}`);
  return value as T;
}
