/**
 * Typed ECS container definitions, rendered to the JSON string `aws_ecs_task_definition` takes.
 * Tokens (ARNs, endpoints from other stacks) are plain strings here; cdktf resolves them inside the
 * JSON string, so cross-stack values end up as `${data.terraform_remote_state...}` interpolations and
 * the definition stays literal JSON that policy checks can read (OPA MM-037).
 */

import { jsonAttribute } from "./json-attribute";
import { looksSecretName, secretValueFinding } from "./policy-data";

/** `<secret arn>:<json key>::` (latest version): the `valueFrom` of one JSON key. */
export function secretKeyRef(secretArn: string, jsonKey: string): string {
  return `${secretArn}:${jsonKey}::`;
}

export interface ContainerHealthCheck {
  /** Shell command, run as CMD-SHELL. */
  readonly command: string;
  /** @default 30 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly retries?: number;
  /** Failures during start-up do not count. @default 60 */
  readonly startPeriodSeconds?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  /** Non-secret settings only (throws on secret-looking names). */
  readonly environment: Record<string, string>;
  /** Variable name → `valueFrom` (a Secrets Manager ARN with JSON key, see secretKeyRef). */
  readonly secrets?: Record<string, string>;
  readonly logs: { readonly group: string; readonly region: string; readonly streamPrefix: string };
  readonly healthCheck: ContainerHealthCheck;
  /**
   * Writable directories on a read-only root filesystem: each gets its own task-storage volume.
   * @default []
   */
  readonly scratchPaths?: readonly string[];
  /**
   * Run as this user (uid:gid). When set, a short init container hands the scratch volumes to
   * this user first: Fargate creates task-storage volumes owned by root (0755), so a non-root
   * process could not write them. @default the image's USER, scratch volumes stay root-owned
   */
  readonly user?: string;
  /** Run an init process as PID 1 (reaps the ECS Exec agent's children). @default false */
  readonly initProcessEnabled?: boolean;
}

/** ECS Exec's agent writes here; with a read-only root filesystem they must be volumes. */
export const ECS_EXEC_PATHS = ["/var/lib/amazon", "/var/log/amazon"] as const;

/** A Fargate task volume for one scratch path; the same name goes into `volume` of the task definition. */
export function scratchVolumeName(container: string, path: string): string {
  return `${container}${path.replace(/[^A-Za-z0-9]+/g, "-")}`.replace(/-+$/, "");
}

/**
 * Throws when a plain environment variable looks like a secret, by its name or by its value
 * (Security Hub ECS.8, OPA MM-023; the patterns are policies/data/secrets/data.json).
 */
export function assertNoSecretEnvironment(container: string, environment: Record<string, string>): void {
  for (const [name, value] of Object.entries(environment)) {
    if (looksSecretName(name)) {
      throw new Error(
        `container ${container}: environment variable ${name} looks like a secret; inject it through \`secrets\` (Secrets Manager valueFrom)`,
      );
    }
    const finding = secretValueFinding(value);
    if (finding)
      throw new Error(`container ${container}: the value of ${name} looks like a credential (${finding}); inject it through \`secrets\``);
  }
}

/** The container definition object (AWS API field names). */
export function containerDefinition(spec: ContainerSpec): Record<string, unknown> {
  assertNoSecretEnvironment(spec.name, spec.environment);
  const overlap = Object.keys(spec.secrets ?? {}).filter((k) => k in spec.environment);
  if (overlap.length > 0) throw new Error(`container ${spec.name}: ${overlap.join(", ")} set both as environment and as secret`);
  const scratch = spec.scratchPaths ?? [];
  for (const p of scratch) if (!p.startsWith("/")) throw new Error(`container ${spec.name}: scratch path "${p}" must be absolute`);
  const hc = spec.healthCheck;
  const sorted = (o: Record<string, string>) =>
    Object.keys(o)
      .sort()
      .map((name) => ({ name, value: o[name] }));
  return {
    name: spec.name,
    image: spec.image,
    essential: true,
    portMappings: [{ containerPort: spec.port, protocol: "tcp" }],
    environment: sorted(spec.environment),
    secrets: Object.entries(spec.secrets ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, valueFrom]) => ({ name, valueFrom })),
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": spec.logs.group, "awslogs-region": spec.logs.region, "awslogs-stream-prefix": spec.logs.streamPrefix },
    },
    healthCheck: {
      command: ["CMD-SHELL", hc.command],
      interval: hc.intervalSeconds ?? 30,
      timeout: hc.timeoutSeconds ?? 5,
      retries: hc.retries ?? 3,
      startPeriod: hc.startPeriodSeconds ?? 60,
    },
    readonlyRootFilesystem: true,
    privileged: false,
    mountPoints: scratch.map((p) => ({ sourceVolume: scratchVolumeName(spec.name, p), containerPath: p, readOnly: false })),
    linuxParameters: { initProcessEnabled: spec.initProcessEnabled ?? false },
    ...(spec.user !== undefined ? { user: spec.user } : {}),
    ...(scratchInitContainer(spec) ? { dependsOn: [{ containerName: scratchInitName(spec.name), condition: "SUCCESS" }] } : {}),
  };
}

export function scratchInitName(container: string): string {
  return `${container}-scratch-init`;
}

/**
 * Docker's default capabilities on Fargate except CHOWN: all the scratch init needs (it owns
 * nothing else and changes no permission bits).
 */
export const SCRATCH_INIT_DROPPED_CAPABILITIES = [
  "AUDIT_WRITE",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "NET_RAW",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
] as const;

/**
 * The init container that gives the scratch volumes to `spec.user`: same image (it has sh and
 * chown), runs as root once with only CAP_CHOWN, exits; the app container starts only after it
 * succeeded. Root is needed: Fargate creates task-storage volumes root-owned 0755, and only a
 * CAP_CHOWN process can hand them over (a non-root init could neither chown nor chmod them). Each
 * such container is a named MM-048 exception (policies/lib/exceptions.rego).
 */
export function scratchInitContainer(spec: ContainerSpec): Record<string, unknown> | undefined {
  const paths = (spec.scratchPaths ?? []).filter((p) => !(ECS_EXEC_PATHS as readonly string[]).includes(p));
  if (spec.user === undefined || paths.length === 0) return undefined;
  if (!/^\d+:\d+$/.test(spec.user)) throw new Error(`container ${spec.name}: user "${spec.user}" must be uid:gid`);
  return {
    name: scratchInitName(spec.name),
    image: spec.image,
    essential: false,
    user: "0",
    entryPoint: ["sh", "-c"],
    command: [`chown ${spec.user} ${paths.join(" ")}`],
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters: { capabilities: { drop: [...SCRATCH_INIT_DROPPED_CAPABILITIES] } },
    mountPoints: paths.map((p) => ({ sourceVolume: scratchVolumeName(spec.name, p), containerPath: p, readOnly: false })),
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": spec.logs.group,
        "awslogs-region": spec.logs.region,
        "awslogs-stream-prefix": `${spec.logs.streamPrefix}-init`,
      },
    },
  };
}

/** The `container_definitions` string of a task definition (init containers first). */
export function renderContainerDefinitions(specs: readonly ContainerSpec[]): string {
  const defs = specs.flatMap((s) => {
    const init = scratchInitContainer(s);
    return init ? [init, containerDefinition(s)] : [containerDefinition(s)];
  });
  return jsonAttribute(defs);
}
