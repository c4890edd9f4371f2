import { Token } from "cdktf";
import { looksSecretName } from "./policy-data";

/** A CodeBuild buildspec (version 0.2), the subset this project uses. */
export interface Buildspec {
  readonly version: 0.2;
  readonly env?: {
    readonly shell?: "bash";
    /** Plain, non-secret values only. */
    readonly variables?: Record<string, string>;
    /** NAME → `<secret-arn>:<json-key>`; CodeBuild resolves and masks them. */
    readonly "secrets-manager"?: Record<string, string>;
  };
  readonly phases: { readonly [P in BuildPhase]?: { readonly "on-failure"?: "ABORT" | "CONTINUE"; readonly commands: string[] } };
  readonly artifacts?: { readonly files: string[] };
}
export type BuildPhase = "install" | "pre_build" | "build" | "post_build";

type Yaml = string | number | boolean | readonly Yaml[] | { readonly [key: string]: Yaml | undefined };

/**
 * A small, deterministic YAML emitter for buildspec-shaped data: block maps and sequences, plain
 * scalars where YAML reads them back unchanged, JSON double-quoted scalars (valid YAML) otherwise.
 */
export function renderYaml(value: Yaml, indent = 0): string {
  return `${emit(value, indent).join("\n")}\n`;
}

function emit(value: Yaml, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: Yaml) => {
      if (isScalar(item)) return [`${pad}- ${scalar(item)}`];
      const [first, ...rest] = emit(item, indent + 2);
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined) as [string, Yaml][];
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => {
      const key = plainSafe(k) ? k : JSON.stringify(k);
      if (isScalar(v)) return [`${pad}${key}: ${scalar(v)}`];
      if (Array.isArray(v) && v.length === 0) return [`${pad}${key}: []`];
      return [`${pad}${key}:`, ...emit(v, indent + 2)];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isScalar(v: Yaml): v is string | number | boolean {
  return typeof v !== "object";
}

function scalar(v: string | number | boolean): string {
  if (typeof v === "string" && Token.isUnresolved(v)) return JSON.stringify(v); // the value is known only after interpolation
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`YAML: ${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === "boolean") return String(v);
  return plainSafe(v) ? v : JSON.stringify(v);
}

/**
 * A plain (unquoted) block scalar reads back unchanged when it starts with an ordinary character,
 * has no ": " or " #" (mapping/comment indicators), no leading/trailing space or line break, and is
 * not a YAML keyword or number.
 */
function plainSafe(s: string): boolean {
  if (!/^[A-Za-z_$/.(]/.test(s) || /[\n\r\t]/.test(s) || s !== s.trim()) return false;
  if (s.includes(": ") || s.includes(" #") || s.endsWith(":")) return false;
  return !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s) && !/^[-+.]?(\d|\.inf|\.nan)/i.test(s);
}

export interface ImageBuildspecProps {
  /** The service: its directory, Dockerfile and container name (`backend/Dockerfile`, container `backend`). */
  readonly service: "backend" | "frontend";
  /** The Docker Hub secret (JSON keys username, password); read through `env.secrets-manager`. */
  readonly dockerhubSecretArn: string;
  /** Project environment variables passed as `--build-arg NAME=$NAME` (e.g. VITE_API_URL). @default [] */
  readonly buildArgs?: string[];
  /** Characters of the commit SHA in the image tag. @default 12 */
  readonly shaLength?: number;
}

/**
 * The guide's buildspec (ECR login, `docker build -f backend/Dockerfile -t $IMAGE_REPO_NAME:$IMAGE_TAG
 * backend/`, tag, push), extended: Docker Hub login from Secrets Manager (pull rate limits), the
 * commit SHA as the only tag (ECR tags are immutable, so no `latest`), idempotent re-runs of the
 * same commit, and `image-tag.txt` (the tag alone) for the deploy stage, which writes it to the
 * service's SSM parameter and applies the ECS stack. The build never changes what runs.
 *
 * Expects project variables AWS_ACCOUNT_ID and IMAGE_REPO_NAME (CodeBuild sets
 * AWS_DEFAULT_REGION and CODEBUILD_RESOLVED_SOURCE_VERSION).
 */
export function imageBuildspec(props: ImageBuildspecProps): Buildspec {
  const svc = props.service;
  const shaLength = props.shaLength ?? 12;
  if (!Number.isInteger(shaLength) || shaLength < 7 || shaLength > 40)
    throw new Error(`buildspec ${svc}: shaLength must be 7-40, got ${shaLength}`);
  for (const arg of props.buildArgs ?? []) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(arg)) throw new Error(`buildspec ${svc}: build arg "${arg}" is not an environment variable name`);
    if (looksSecretName(arg)) throw new Error(`buildspec ${svc}: build arg ${arg} looks secret; build args end up in the image history`);
  }
  const registry = "$AWS_ACCOUNT_ID.dkr.ecr.$AWS_DEFAULT_REGION.amazonaws.com";
  const image = `${registry}/$IMAGE_REPO_NAME:$IMAGE_TAG`;
  const buildArgs = (props.buildArgs ?? []).map((a) => `--build-arg ${a}=$${a} `).join("");
  return {
    version: 0.2,
    env: {
      shell: "bash",
      "secrets-manager": {
        DOCKERHUB_USERNAME: `${props.dockerhubSecretArn}:username`,
        DOCKERHUB_PASSWORD: `${props.dockerhubSecretArn}:password`,
      },
    },
    phases: {
      pre_build: {
        "on-failure": "ABORT",
        commands: [
          "echo Logging in to Amazon ECR...",
          `aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin ${registry}`,
          // Docker Hub only lifts the anonymous pull limit; a placeholder secret must not stop the build.
          'echo "$DOCKERHUB_PASSWORD" | docker login --username "$DOCKERHUB_USERNAME" --password-stdin || echo "Docker Hub login failed; pulling base images anonymously"',
          `IMAGE_TAG=$(echo "$CODEBUILD_RESOLVED_SOURCE_VERSION" | cut -c 1-${shaLength})`,
          'test -n "$IMAGE_TAG" || { echo "CODEBUILD_RESOLVED_SOURCE_VERSION is empty: no commit to tag"; exit 1; }',
        ],
      },
      build: {
        "on-failure": "ABORT",
        commands: [
          "echo Build started on `date`",
          `docker build -f ${svc}/Dockerfile ${buildArgs}-t $IMAGE_REPO_NAME:$IMAGE_TAG ${svc}/`,
          `docker tag $IMAGE_REPO_NAME:$IMAGE_TAG ${image}`,
        ],
      },
      post_build: {
        commands: [
          "echo Build completed on `date`",
          // Tags are immutable: a re-run of the same commit finds its image already pushed.
          `docker push ${image} || aws ecr describe-images --repository-name $IMAGE_REPO_NAME --image-ids imageTag=$IMAGE_TAG`,
          `printf '%s' "$IMAGE_TAG" > ${IMAGE_TAG_FILE}`,
          `echo "image tag: $(cat ${IMAGE_TAG_FILE})"`,
        ],
      },
    },
    artifacts: { files: [IMAGE_TAG_FILE] },
  };
}

/** The build's output artifact: the image tag it pushed, nothing else. */
export const IMAGE_TAG_FILE = "image-tag.txt";

/** The buildspec as YAML, refusing plain variables that look secret. */
export function renderBuildspec(spec: Buildspec): string {
  for (const name of Object.keys(spec.env?.variables ?? {})) {
    if (looksSecretName(name)) throw new Error(`buildspec: variable ${name} looks secret; use env.secrets-manager`);
  }
  for (const [name, ref] of Object.entries(spec.env?.["secrets-manager"] ?? {})) {
    if (!/^(arn:|\$\{)/.test(ref) && !/^[A-Za-z0-9/_+=.@-]+:[A-Za-z0-9_]+$/.test(ref)) {
      throw new Error(`buildspec: secrets-manager ${name} must be <secret-id>:<json-key>, got a literal`);
    }
  }
  for (const str of strings(spec as unknown as Yaml)) {
    // cdk.tf.json strings are Terraform templates: a literal ${ or %{ would be interpolated.
    if (/\$\{(?!TfToken\[)|%\{/.test(str))
      throw new Error(`buildspec: "${str}" contains \${ or %{, which Terraform would interpolate; write $VAR`);
  }
  return renderYaml(spec as unknown as Yaml);
}

function strings(v: Yaml): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [k, ...(x === undefined ? [] : strings(x))]);
  return [];
}
