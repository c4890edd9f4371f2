"""npm run e2e: one environment deployed for real on the local AWS emulator (scripts/e2e/run.sh
starts this in the ops venv; see scripts/e2e/README.md).

Steps (each prints one line per item and a summary at the end):
  emulator   moto_ext (moto + tested patches) on 127.0.0.1 over TLS, stopped at the end
  bootstrap  npx cdktf deploy markmail-bootstrap (the state bucket, lock table and KMS key)
  deploy     npx cdktf synth, then npx cdktf deploy <stack> for every dev stack in the guide's
             order, with their real S3 backend (the bootstrap's bucket, table and key)
  drift      terraform plan -detailed-exitcode of every stack; again after a pipeline-style image
             deploy and after scripts/salesforce-integration/aws-deployment/update_aws_secrets.sh
  guide      the seed guide's operator commands and the ops scripts, with the real AWS CLI
  lock       two applies of one stack at once: one holds the lock, the other fails with
             Terraform's lock error; the state serial advances exactly once
  teardown   prod network + database applied; cdktf destroy of the prod database must be refused
             with nothing deleted; dev destroyed in reverse order; what is left is listed with
             the reason AWS keeps it too (KEPT_BY_AWS), anything else fails the run

The stacks' JSON is used exactly as synthesized: the provider and the backend reach the emulator
only through AWS_ENDPOINT_URL, AWS_CA_BUNDLE, HTTPS_PROXY (for S3 Control's
<account>.127.0.0.1 host) and fake credentials.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REGION = "ap-northeast-1"
ENV = "dev"
DOMAIN = "dev.markmail.example.com"
# The guide's order (docs/guide.en.md §6.2); the bastion comes after the database, last here.
LAYERS = ["network", "database", "secrets", "dns", "alb", "ecs-cluster", "ecs", "monitoring", "pipeline", "bastion"]
PROD_LAYERS = ["network", "database"]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
STEPS = ["bootstrap", "deploy", "drift", "guide", "lock", "teardown"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg: str) -> None:
    print(msg, flush=True)


@dataclass
class StackResult:
    stack: str
    planned: int = 0
    applied: int = 0
    seconds: float = 0.0
    ok: bool = False
    error: str = ""


@dataclass
class Run:
    work: Path
    env: dict[str, str] = field(default_factory=dict)
    endpoint: str = ""
    ca: Path | None = None
    moto: subprocess.Popen[bytes] | None = None
    results: list[StackResult] = field(default_factory=list)
    drift: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    guide: list[tuple[str, bool, str]] = field(default_factory=list)
    ops: list[tuple[str, bool, str]] = field(default_factory=list)
    guard: str = "not run"
    left: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    # --- processes ---------------------------------------------------------------------------
    def sh(self, args: list[str], *, log_name: str | None = None, timeout: float = 1800, check: bool = False,
           env: dict[str, str] | None = None, input_text: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(args, cwd=cwd or ROOT, env=env or self.env, text=True, capture_output=True,
                              timeout=timeout, input=input_text)
        if log_name:
            (self.work / "logs").mkdir(exist_ok=True)
            (self.work / "logs" / log_name).write_text(proc.stdout + "\n--- stderr ---\n" + proc.stderr)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:4])}... exit {proc.returncode}: {tail(proc.stdout + proc.stderr)}")
        return proc

    def aws(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.sh(["aws", "--region", REGION, "--output", "json", *args], check=check)

    def aws_json(self, *args: str) -> Any:
        out = self.aws(*args).stdout
        return json.loads(out) if out.strip() else None

    def tf(self, stack_dir: Path, *args: str, log_name: str | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return self.sh([self.env["MARKMAIL_TF"], f"-chdir={stack_dir}", *args], log_name=log_name, timeout=timeout)

    def cdktf(self, *args: str, log_name: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        return self.sh(["npx", "--no-install", "cdktf", *args], log_name=log_name, timeout=timeout)

    def inventory(self) -> list[dict[str, Any]]:
        context = ssl.create_default_context(cafile=str(self.ca))
        with urllib.request.urlopen(f"{self.endpoint}/moto-ext/inventory", context=context, timeout=60) as r:
            return json.loads(r.read())


def tail(text: str, n: int = 6) -> str:
    lines = [ln.strip() for ln in ANSI.sub("", text).splitlines() if ln.strip() and not re.search(r"Stacks? (deploying|done|waiting)", ln)]
    return " | ".join(lines[-n:])[:900]


def first_error(text: str) -> str:
    clean = ANSI.sub("", text)
    m = re.search(r"Error: (.+)", clean)
    return m.group(1).strip()[:400] if m else tail(clean, 3)


# --- emulator -------------------------------------------------------------------------------------
def start_emulator(run: Run) -> None:
    port, proxy_port = free_port(), free_port()
    tls_dir = run.work / "tls"
    log_file = open(run.work / "moto.log", "wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(HERE)
    run.moto = subprocess.Popen(
        [sys.executable, "-m", "moto_ext", "-p", str(port), "--tls-dir", str(tls_dir), "--proxy-port", str(proxy_port)],
        stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    run.endpoint = f"https://127.0.0.1:{port}"
    run.ca = tls_dir / "ca.pem"
    deadline = time.monotonic() + 60
    while True:
        if run.moto.poll() is not None:
            raise RuntimeError(f"moto_ext exited {run.moto.returncode}: {(run.work / 'moto.log').read_text()[-600:]}")
        if run.ca.exists():
            try:
                ctx = ssl.create_default_context(cafile=str(run.ca))
                urllib.request.urlopen(f"{run.endpoint}/moto-api/", context=ctx, timeout=2).read()
                break
            except OSError:
                pass
        if time.monotonic() > deadline:
            raise RuntimeError("moto_ext did not start within 60 s")
        time.sleep(0.2)

    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("AWS_", "TF_", "CDKTF_")) and k.upper() not in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")}
    base.update({
        "AWS_ENDPOINT_URL": run.endpoint,
        "AWS_CA_BUNDLE": str(run.ca),
        "HTTPS_PROXY": f"http://127.0.0.1:{proxy_port}",
        "NO_PROXY": "127.0.0.1,localhost",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "TF_CLI_CONFIG_FILE": os.environ["TF_CLI_CONFIG_FILE"],
        "MARKMAIL_TF": os.environ["MARKMAIL_TF"],
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
        "CDKTF_DISABLE_PLUGIN_CACHE_ENV": "true",
        # The app's inputs: dev with the bastion, a domain (HTTPS, ACM validation, Route 53, SES).
        "CREATE_BASTION": "true",
        "DEV_DOMAIN": DOMAIN,
        "HOSTED_ZONE_MODE": "create",
        "NOTIFICATION_EMAIL": "ops@markmail.example.com",
    })
    run.env = base
    log(f"emulator: moto_ext on {run.endpoint} (CONNECT proxy :{proxy_port} for S3 Control), log {run.work / 'moto.log'}")


def stop_emulator(run: Run) -> None:
    if run.moto and run.moto.poll() is None:
        os.killpg(run.moto.pid, signal.SIGTERM)
        try:
            run.moto.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(run.moto.pid, signal.SIGKILL)
            run.moto.wait(timeout=15)


# --- deploy -------------------------------------------------------------------------------------
def out_dir(run: Run, stack: str) -> Path:
    if stack == "markmail-bootstrap":
        return run.work / "bootstrap.out"
    return run.work / f"{stack.split('-')[1]}.out"  # dev.out, prod.out: one synth per environment


def stack_dir(run: Run, stack: str) -> Path:
    return out_dir(run, stack) / "stacks" / stack


def managed_in_state(run: Run, stack: str) -> int:
    proc = run.tf(stack_dir(run, stack), "state", "list")
    return sum(1 for ln in proc.stdout.splitlines() if ln.strip() and not ln.startswith("data.") and ".data." not in ln)


def deploy(run: Run, stack: str, *extra: str) -> StackResult:
    result = StackResult(stack)
    t0 = time.monotonic()
    if stack == "markmail-bootstrap":
        args = ["deploy", "--app", "node -r ./scripts/swc-register.js bootstrap.ts", "--output", str(run.work / "bootstrap.out"), stack]
    else:
        args = ["deploy", stack, "--output", str(out_dir(run, stack)), "--skip-synth"]
    proc = run.cdktf(*args, "--auto-approve", "--skip-provider-lock", *extra, log_name=f"deploy-{stack}.log")
    result.seconds = time.monotonic() - t0
    text = ANSI.sub("", proc.stdout + proc.stderr)
    m = re.search(r"Plan: (\d+) to add", text)
    result.planned = int(m.group(1)) if m else 0
    try:
        result.applied = managed_in_state(run, stack)
    except Exception:  # noqa: BLE001 - no state yet
        result.applied = 0
    result.ok = proc.returncode == 0
    if not result.ok:
        result.error = first_error(text)
    run.results.append(result)
    status = "ok" if result.ok else f"FAILED: {result.error}"
    log(f"  {stack:<28} {result.applied:>3}/{result.planned:<3} resources  {result.seconds:6.1f} s  {status}")
    return result


def synth(run: Run, env_name: str) -> None:
    """npx cdktf synth of one environment (CDK_CONTEXT_ENVIRONMENT, as in the guide's dev shell)."""
    t0 = time.monotonic()
    out = run.work / f"{env_name}.out"
    saved = dict(run.env)
    run.env["CDK_CONTEXT_ENVIRONMENT"] = env_name
    try:
        run.cdktf("synth", "--output", str(out), log_name=f"synth-{env_name}.log")
    finally:
        run.env = saved
    if not (out / "stacks" / f"markmail-{env_name}-network" / "cdk.tf.json").exists():
        raise RuntimeError(f"synth of {env_name} failed: {tail((run.work / 'logs' / f'synth-{env_name}.log').read_text())}")
    inputs = f"CREATE_BASTION=true DEV_DOMAIN={DOMAIN} HOSTED_ZONE_MODE=create" if env_name == ENV else "no domain"
    log(f"  synth {env_name} (npx cdktf synth, CDK_CONTEXT_ENVIRONMENT={env_name}, {inputs}) {time.monotonic() - t0:.1f} s")


def step_bootstrap(run: Run) -> None:
    log("bootstrap:")
    r = deploy(run, "markmail-bootstrap")
    if not r.ok:
        raise RuntimeError("bootstrap failed: the layer stacks have no backend")
    # The backend really is the bootstrap's: bucket, table and key exist where the stacks point.
    run.aws("s3api", "head-bucket", "--bucket", "markmail-terraform-state")
    run.aws("dynamodb", "describe-table", "--table-name", "markmail-terraform-locks")
    run.aws("kms", "describe-key", "--key-id", "alias/markmail-terraform-state")


def step_deploy(run: Run, layers: list[str]) -> None:
    log("deploy:")
    synth(run, ENV)
    for layer in layers:
        deploy(run, f"markmail-{ENV}-{layer}")
    # State objects: in the bootstrap's bucket, encrypted with its KMS key, lock table in use.
    keys = run.aws_json("s3api", "list-objects-v2", "--bucket", "markmail-terraform-state", "--query", "Contents[].Key") or []
    for layer in layers:
        key = f"markmail/{ENV}/{layer}.tfstate"
        if key not in keys:
            run.failures.append(f"state object s3://markmail-terraform-state/{key} missing")
            continue
        head = run.aws_json("s3api", "head-object", "--bucket", "markmail-terraform-state", "--key", key)
        if head.get("ServerSideEncryption") != "aws:kms" or "markmail-terraform-state" not in str(head.get("SSEKMSKeyId")):
            run.failures.append(f"state {key} not encrypted with the bootstrap key: {head.get('ServerSideEncryption')} {head.get('SSEKMSKeyId')}")
    digests = run.aws_json("dynamodb", "scan", "--table-name", "markmail-terraform-locks", "--query", "Items[].LockID.S") or []
    log(f"  state: {len([k for k in keys if k.startswith(f'markmail/{ENV}/')])} objects in s3://markmail-terraform-state (aws:kms, "
        f"alias/markmail-terraform-state), {len(digests)} entries in markmail-terraform-locks")


# --- drift --------------------------------------------------------------------------------------
def plan_all(run: Run, label: str, stacks: list[str]) -> int:
    changed = 0
    for stack in stacks:
        proc = run.tf(stack_dir(run, stack), "plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock-timeout=120s",
                      log_name=f"plan-{label}-{stack}.log")
        run.drift[f"{label}:{stack}"] = proc.returncode
        if proc.returncode != 0:
            changed += 1
            what = [ln.strip() for ln in proc.stdout.splitlines() if re.match(r"\s+# .* (will|must) be", ln)]
            reason = "; ".join(what[:6]) if what else first_error(proc.stdout + proc.stderr)
            run.failures.append(f"drift ({label}) {stack}: exit {proc.returncode}: {reason}")
            log(f"  {label:<18} {stack:<28} exit {proc.returncode}: {reason[:300]}")
    log(f"  {label:<18} {len(stacks) - changed}/{len(stacks)} stacks without changes")
    return changed


def pipeline_image_deploy(run: Run) -> bool:
    """The pipeline's deploy stage as CodeBuild runs it: scripts/pipeline/deploy-ecs.sh writes the
    new image tags to SSM, plans markmail-dev-ecs on its S3 state, judges the plan with OPA and the
    image-only guard, and applies it. Here on a fresh copy of the synthesized stack, as CodeBuild
    synthesizes its own."""
    d = run.work / "pipeline-deploy" / f"markmail-{ENV}-ecs"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(stack_dir(run, f"markmail-{ENV}-ecs") / "cdk.tf.json", d / "cdk.tf.json")
    tags = []
    for svc in ("backend", "frontend"):
        f = run.work / "pipeline-deploy" / f"{svc}-image-tag.txt"
        f.write_text("0123456789ab\n")
        tags.append(f"{svc}={f}")
    env = dict(run.env, TERRAFORM=run.env["MARKMAIL_TF"], POLICY_DIR=str(ROOT / "policies"))
    proc = run.sh(["bash", str(ROOT / "scripts/pipeline/deploy-ecs.sh"), ENV, str(d), *tags], env=env,
                  log_name="pipeline-deploy-ecs.log", timeout=900)
    out = proc.stdout + proc.stderr
    judged = re.search(r"plan judged \(OPA clean, images only\): (\d+) resource changes", out)
    ok = proc.returncode == 0 and judged is not None
    detail = f"exit {proc.returncode}: " + (f"{judged.group(1)} changes judged images-only and applied" if judged else tail(out, 4))
    run.ops.append(("scripts/pipeline/deploy-ecs.sh dev (image tags 0123456789ab)", ok, detail))
    log(f"  {'ok  ' if ok else 'FAIL'} pipeline-style image deploy (scripts/pipeline/deploy-ecs.sh): {detail}")
    if not ok:
        run.failures.append(f"pipeline deploy: {detail}")
    return ok


def terraform_change_deploy(run: Run) -> bool:
    """The guide's flow for a settings change: edit the ECS stack, deploy that stack, and the service
    runs it, with the image that is running (Terraform owns the task definitions; the image tag comes
    from the SSM parameter the pipeline writes). Here the edit is one environment variable added to
    the backend container, applied to a copy of markmail-dev-ecs on its S3 state; then the stack as
    committed is applied again (the change reverted the same way) and plans empty."""
    stack = f"markmail-{ENV}-ecs"
    cluster, service = f"markmail-{ENV}", f"markmail-{ENV}-backend"

    def running() -> tuple[str, dict[str, Any]]:
        arn = run.aws_json("ecs", "describe-services", "--cluster", cluster, "--services", service)["services"][0]["taskDefinition"]
        td = run.aws_json("ecs", "describe-task-definition", "--task-definition", arn)["taskDefinition"]
        return arn, next(c for c in td["containerDefinitions"] if c["name"] == "backend")

    try:
        before_arn, before = running()
    except (StopIteration, IndexError, KeyError, RuntimeError) as e:
        detail = f"no running backend service to change ({e!r})"
        run.ops.append((f"cdktf deploy {stack} after a container setting change (the service runs it, image kept)", False, detail))
        run.failures.append(f"terraform change deploy: {detail}")
        return False
    d = run.work / "ecs-change" / stack
    d.mkdir(parents=True, exist_ok=True)
    doc = json.loads((stack_dir(run, stack) / "cdk.tf.json").read_text())
    [td] = [t for t in doc["resource"]["aws_ecs_task_definition"].values() if t["family"] == service]
    containers = json.loads(td["container_definitions"])
    next(c for c in containers if c["name"] == "backend")["environment"].append({"name": "E2E_SETTING", "value": "changed"})
    td["container_definitions"] = json.dumps(containers, indent=1)
    (d / "cdk.tf.json").write_text(json.dumps(doc, indent=2))
    detail = ""
    ok = run.tf(d, "init", "-input=false", "-no-color", log_name="ecs-change-init.log").returncode == 0
    ok = ok and run.tf(d, "apply", "-auto-approve", "-input=false", "-no-color", log_name="ecs-change-apply.log").returncode == 0
    if ok:
        after_arn, after = running()
        env = {e["name"]: e["value"] for e in after.get("environment", [])}
        ok = after_arn != before_arn and env.get("E2E_SETTING") == "changed" and after["image"] == before["image"]
        ok = ok and not after["image"].endswith(":bootstrap")
        detail = f"{before_arn.rsplit('/', 1)[-1]} -> {after_arn.rsplit('/', 1)[-1]}, E2E_SETTING={env.get('E2E_SETTING')}, image {after['image'].rsplit(':', 1)[-1]}"
    else:
        detail = "apply of the changed stack failed (logs/ecs-change-apply.log)"
    revert = run.tf(stack_dir(run, stack), "apply", "-auto-approve", "-input=false", "-no-color", log_name="ecs-change-revert.log")
    if revert.returncode != 0:
        ok, detail = False, f"{detail}; revert failed (logs/ecs-change-revert.log)"
    else:
        reverted_arn, reverted = running()
        back = {e["name"] for e in reverted.get("environment", [])}
        ok = ok and "E2E_SETTING" not in back and reverted["image"] == before["image"]
        detail = f"{detail}; reverted: {reverted_arn.rsplit('/', 1)[-1]}"
    run.ops.append((f"cdktf deploy {stack} after a container setting change (the service runs it, image kept)", ok, detail))
    log(f"  {'ok  ' if ok else 'FAIL'} Terraform change of {stack} in service: {detail}")
    if not ok:
        run.failures.append(f"terraform change deploy: {detail}")
    return ok


def step_drift(run: Run, layers: list[str]) -> None:
    log("drift:")
    stacks = ["markmail-bootstrap"] + [f"markmail-{ENV}-{x}" for x in layers]
    plan_all(run, "after deploy", stacks)
    if "ecs" in layers:
        pipeline_image_deploy(run)
        plan_all(run, "after image deploy", [f"markmail-{ENV}-ecs"])
        terraform_change_deploy(run)
        plan_all(run, "after a Terraform change and its revert", [f"markmail-{ENV}-ecs"])
    if "secrets" in layers:
        script = ROOT / "scripts/salesforce-integration/aws-deployment/update_aws_secrets.sh"
        proc = run.sh(["bash", str(script), ENV, "3MVG9e2eClientId", "-"], input_text="e2e-client-secret-value",
                      log_name="update_aws_secrets.log")
        ok = proc.returncode == 0 and "e2e-client-secret-value" not in proc.stdout + proc.stderr
        run.ops.append(("update_aws_secrets.sh dev <id> - (secret on stdin)", ok, tail(proc.stdout + proc.stderr, 2)))
        log(f"  update_aws_secrets.sh dev: exit {proc.returncode}{'' if ok else ' FAILED: ' + tail(proc.stdout + proc.stderr, 3)}")
        plan_all(run, "after secret update", [f"markmail-{ENV}-secrets", f"markmail-{ENV}-ecs"])


# --- guide --------------------------------------------------------------------------------------
def check(run: Run, bucket: list[tuple[str, bool, str]], name: str, fn: Any) -> None:
    try:
        ok, detail = fn()
    except Exception as e:  # noqa: BLE001 - a failed command is a failed check, with its reason
        ok, detail = False, str(e)[:300]
    bucket.append((name, bool(ok), detail))
    log(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")


def step_guide(run: Run) -> None:
    log("guide commands (real AWS CLI):")
    e = ENV

    def secret_keys() -> tuple[bool, str]:
        s = json.loads(run.aws("secretsmanager", "get-secret-value", "--secret-id", f"markmail-{e}-salesforce-secret",
                               "--query", "SecretString", "--output", "text").stdout)
        keys = sorted(s)
        return set(keys) >= {"client_id", "client_secret", "redirect_url", "use_sandbox"}, f"keys {keys}"

    def db_password() -> tuple[bool, str]:
        s = json.loads(run.aws("secretsmanager", "get-secret-value", "--secret-id", f"markmail-{e}-db-secret",
                               "--query", "SecretString", "--output", "text").stdout)
        return bool(s.get("password")), f".password non-empty ({len(s.get('password') or '')} chars, not shown)"

    def bastion() -> tuple[bool, str]:
        out = run.aws("ec2", "describe-instances", "--filters", f"Name=tag:Name,Values=markmail-{e}-bastion",
                      "--query", "Reservations[*].Instances[*].[InstanceId]", "--output", "text").stdout.split()
        return len(out) == 1, f"instances {out}"

    def rds_endpoint() -> tuple[bool, str]:
        out = run.aws("rds", "describe-db-instances", "--query", f"DBInstances[?DBInstanceIdentifier==`markmail-{e}`].Endpoint.Address",
                      "--output", "text").stdout.strip()
        return bool(out) and "\t" not in out, f"endpoint {out}"

    def scale(n: int) -> Any:
        def f() -> tuple[bool, str]:
            s = run.aws_json("ecs", "update-service", "--cluster", f"markmail-{e}", "--service", f"markmail-{e}-backend",
                             "--desired-count", str(n))["service"]
            return s["desiredCount"] == n, f"desiredCount {s['desiredCount']}"
        return f

    def log_events() -> tuple[bool, str]:
        start = str(int((time.time() - 3600) * 1000))
        out = run.aws_json("logs", "filter-log-events", "--log-group-name", f"/ecs/markmail-{e}-backend", "--start-time", start)
        return "events" in out, f"{len(out['events'])} events (the emulator runs no containers)"

    def role_policy() -> tuple[bool, str]:
        out = run.aws_json("iam", "get-role-policy", "--role-name", f"markmail-{e}-task-role", "--policy-name", "SecretsManagerAccess")
        doc = out["PolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        actions = sorted({a for st in doc["Statement"] for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])})
        return "secretsmanager:GetSecretValue" in actions, f"actions {actions}"

    def pipeline_state() -> tuple[bool, str]:
        out = run.aws_json("codepipeline", "get-pipeline-state", "--name", f"markmail-{e}-pipeline")
        stages = [s["stageName"] for s in out.get("stageStates", [])]
        return out.get("pipelineName") == f"markmail-{e}-pipeline" and bool(stages), f"stages {stages}"

    def start_pipeline() -> tuple[bool, str]:
        out = run.aws_json("codepipeline", "start-pipeline-execution", "--name", f"markmail-{e}-pipeline")
        return bool(out.get("pipelineExecutionId")), f"execution {out.get('pipelineExecutionId')}"

    def dashboard() -> tuple[bool, str]:
        out = run.aws_json("cloudwatch", "get-dashboard", "--dashboard-name", f"MarkMail-{e}")
        body = json.loads(out["DashboardBody"])
        return bool(body.get("widgets")), f"{len(body.get('widgets', []))} widgets"

    def db_security_group() -> tuple[bool, str]:
        groups = run.aws_json("ec2", "describe-security-groups", "--filters", f"Name=group-name,Values=markmail-{e}-database*",
                              "--query", "SecurityGroups[].GroupId") or []
        if len(groups) != 1:
            return False, f"groups {groups}"
        perms = run.aws_json("ec2", "describe-security-groups", "--group-ids", groups[0], "--query", "SecurityGroups[0].IpPermissions")
        ports = sorted({(p.get("FromPort"), len(p.get("UserIdGroupPairs", []))) for p in perms})
        return any(p == 5432 for p, _ in ports), f"{groups[0]}: (port, source groups) {ports}"

    for name, fn in [
        ("secretsmanager get-secret-value salesforce-secret | jq keys", secret_keys),
        ("secretsmanager get-secret-value db-secret | jq -r .password", db_password),
        ("ec2 describe-instances tag:Name=markmail-dev-bastion", bastion),
        ("rds describe-db-instances markmail-dev Endpoint.Address", rds_endpoint),
        ("ecs update-service --desired-count 2", scale(2)),
        ("ecs update-service --desired-count 1", scale(1)),
        ("logs filter-log-events /ecs/markmail-dev-backend", log_events),
        ("iam get-role-policy markmail-dev-task-role SecretsManagerAccess", role_policy),
        ("codepipeline get-pipeline-state markmail-dev-pipeline", pipeline_state),
        ("codepipeline start-pipeline-execution markmail-dev-pipeline", start_pipeline),
        ("cloudwatch get-dashboard MarkMail-dev", dashboard),
        ("ec2 describe-security-groups (database) IpPermissions", db_security_group),
    ]:
        check(run, run.guide, name, fn)

    log("ops scripts:")

    def script(args: list[str], expect: str) -> Any:
        def f() -> tuple[bool, str]:
            proc = run.sh(["bash", *args], log_name=f"ops-{Path(args[0]).name}-{'-'.join(a.strip('-') for a in args[1:])[:40]}.log")
            out = proc.stdout + proc.stderr
            return proc.returncode == 0 and re.search(expect, out) is not None, f"exit {proc.returncode}: {tail(out, 2)}"
        return f

    s = str(ROOT / "scripts")
    for name, args, expect in [
        ("scripts/bastion.sh dev status", [f"{s}/bastion.sh", e, "status"], r"i-[0-9a-f]+"),
        ("scripts/ecs/why-stopped.sh dev backend", [f"{s}/ecs/why-stopped.sh", e, "backend"], r"."),
    ]:
        check(run, run.ops, name, script(args, expect))


# --- locking ------------------------------------------------------------------------------------
def step_lock(run: Run) -> None:
    """Two applies of one stack at once: exactly one of them applies, the other fails with
    Terraform's lock error (-lock-timeout=0s, so it does not wait); the state serial advances
    exactly once, every resource address is still there, the lock is released."""
    log("locking:")
    stack = f"markmail-{ENV}-monitoring"
    d = stack_dir(run, stack)
    addr = next((ln for ln in run.tf(d, "state", "list").stdout.split() if ln.startswith("aws_cloudwatch_dashboard.")), None)
    if not addr:
        run.failures.append("lock: no aws_cloudwatch_dashboard in the monitoring state")
        return

    def state() -> tuple[int, list[str]]:
        pulled = json.loads(run.tf(d, "state", "pull").stdout)
        addresses = sorted(f"{r.get('module', '')}{r['mode']}.{r['type']}.{r['name']}[{len(r.get('instances', []))}]"
                           for r in pulled["resources"])
        return pulled["serial"], addresses

    def lock_item() -> Any:
        return run.aws_json("dynamodb", "get-item", "--table-name", "markmail-terraform-locks", "--key", json.dumps({"LockID": {"S": lock_id}}))

    before, addresses_before = state()
    lock_id = f"markmail-terraform-state/markmail/{ENV}/monitoring.tfstate"
    cmd = [run.env["MARKMAIL_TF"], f"-chdir={d}", "apply", "-auto-approve", "-input=false", "-no-color", f"-replace={addr}", "-lock-timeout=0s"]
    first = subprocess.Popen(cmd, cwd=ROOT, env=run.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen_table = seen_file = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None and not (seen_table and seen_file):
        seen_table = seen_table or bool((lock_item() or {}).get("Item"))
        seen_file = seen_file or run.aws("s3api", "head-object", "--bucket", "markmail-terraform-state", "--key",
                                         f"markmail/{ENV}/monitoring.tfstate.tflock", check=False).returncode == 0
        time.sleep(0.1)
    held_at_start = first.poll() is None and seen_table and seen_file
    second = run.sh(cmd, timeout=600)
    out_first = first.communicate(timeout=600)[0]
    out_second = second.stdout + second.stderr
    (run.work / "logs" / "lock-first.log").write_text(out_first)
    (run.work / "logs" / "lock-second.log").write_text(out_second)
    after, addresses_after = state()
    codes = (first.returncode, second.returncode)
    outs = (out_first, out_second)
    winners = [i for i in (0, 1) if codes[i] == 0]
    loser = 1 - winners[0] if len(winners) == 1 else None
    lock_error = loser is not None and "Error acquiring the state lock" in outs[loser] and lock_id in outs[loser]
    released = (lock_item() or {}).get("Item") is None and run.aws(
        "s3api", "head-object", "--bucket", "markmail-terraform-state", "--key", f"markmail/{ENV}/monitoring.tfstate.tflock",
        check=False).returncode != 0
    lost = sorted(set(addresses_before) - set(addresses_after))
    ok = (held_at_start and loser is not None and lock_error and after == before + 1
          and addresses_after == addresses_before and released)
    detail = (f"lock held by the first apply when the second started: {'yes' if held_at_start else 'no'} "
              f"(DynamoDB {'yes' if seen_table else 'no'}, .tflock {'yes' if seen_file else 'no'}); "
              f"first apply exit {codes[0]}, second exit {codes[1]}"
              f"{'; the other failed with Error acquiring the state lock' if lock_error else '; no apply failed with the lock error'}; "
              f"serial {before} -> {after}; resources {len(addresses_before)} -> {len(addresses_after)}"
              f"{', lost ' + ', '.join(lost[:5]) if lost else ''}; lock released {'yes' if released else 'no'}")
    if loser is None or not lock_error:
        for i in (0, 1):
            if codes[i] != 0:
                detail += f"; apply {i + 1}: {first_error(outs[i])[:200]}"
    log(f"  {'ok  ' if ok else 'FAIL'} {stack}: {detail}")
    if not ok:
        run.failures.append(f"lock: {detail}")
    plan_all(run, "after lock test", [stack])


# --- teardown -----------------------------------------------------------------------------------
def step_teardown(run: Run, layers: list[str]) -> None:
    log("teardown:")
    synth(run, "prod")
    for layer in PROD_LAYERS:
        deploy(run, f"markmail-prod-{layer}")
    before = run.inventory()
    t0 = time.monotonic()
    proc = run.cdktf("destroy", "markmail-prod-database", "--output", str(out_dir(run, "markmail-prod-database")), "--skip-synth",
                     "--auto-approve", log_name="destroy-markmail-prod-database.log")
    after = run.inventory()
    gone = {(o["service"], o["type"], o["key"]) for o in before} - {(o["service"], o["type"], o["key"]) for o in after}
    refused = proc.returncode != 0
    reason = first_error(proc.stdout + proc.stderr)
    held = refused and not gone
    run.guard = "held" if held else "BROKEN"
    log(f"  {'ok  ' if held else 'FAIL'} cdktf destroy markmail-prod-database: exit {proc.returncode} in {time.monotonic() - t0:.0f} s "
        f"({reason[:200]}); emulator objects {len(before)} -> {len(after)}, deleted {len(gone)}")
    if not held:
        run.failures.append(f"destroy guard: exit {proc.returncode}, {len(gone)} objects deleted: {sorted(gone)[:8]}")

    for layer in reversed(layers):
        stack = f"markmail-{ENV}-{layer}"
        t0 = time.monotonic()
        proc = run.cdktf("destroy", stack, "--output", str(out_dir(run, stack)), "--skip-synth",
                         "--auto-approve", log_name=f"destroy-{stack}.log", timeout=1800)
        text = ANSI.sub("", proc.stdout + proc.stderr)
        m = re.search(r"Destroy complete! Resources: (\d+) destroyed", text)
        n = m.group(1) if m else "?"
        status = "ok" if proc.returncode == 0 else f"FAILED: {first_error(text)}"
        log(f"  destroy {stack:<28} {n:>3} destroyed {time.monotonic() - t0:6.1f} s  {status}")
        if proc.returncode != 0:
            run.failures.append(f"destroy {stack}: {first_error(text)}")
    left = [o for o in run.inventory() if f"markmail-{ENV}" in (o["label"] + " " + o["key"])]
    log(f"  left in the emulator with 'markmail-{ENV}' in a name: {len(left)}")
    for o in left:
        reason = kept_by_aws(o)
        line = f"{o['service']} {o['type']} {o['key']} [{o.get('state') or '-'}] ({o['label'][:100]})"
        run.left.append(line)
        if reason:
            log(f"    kept  {line}: {reason}")
        else:
            run.unexpected.append(line)
            log(f"    LEFT  {line}: not something AWS keeps after a destroy")
    if run.unexpected:
        run.failures.append(f"teardown: {len(run.unexpected)} markmail-{ENV} objects left that AWS would not keep: "
                            f"{'; '.join(run.unexpected[:5])}")


# What AWS itself keeps after our stacks are destroyed (scripts/e2e/README.md, "Teardown"):
# (service, model class, lifecycle states, why). Anything else left with markmail-dev in a name
# fails the run.
KEPT_BY_AWS = (
    ("kms", "Key", {"PendingDeletion"},
     "KMS key pending deletion; AWS keeps it for the key's deletion_window_in_days (7)"),
    ("secretsmanager", "FakeSecret", {"deleted"},
     "secret scheduled for deletion; AWS keeps it for recovery_window_in_days (7)"),
    ("ecs", "TaskDefinition", {"ACTIVE", "INACTIVE"},
     "task definition revision; our ecs stack sets skip_destroy = true (revisions stay for rollbacks)"),
    ("ecs", "Cluster", {"INACTIVE"}, "deleted cluster; AWS lists it as INACTIVE for a while"),
    ("ecs", "Service", {"INACTIVE"}, "deleted service; AWS lists it as INACTIVE for a while"),
    ("ec2", "NatGateway", {"deleted"}, "deleted NAT gateway; AWS lists it as deleted for about an hour"),
    ("ec2", "VPCEndPoint", {"deleted"}, "deleted VPC endpoint; AWS lists it as deleted for a while"),
)


def kept_by_aws(obj: dict[str, Any]) -> str | None:
    kind = obj["type"].rsplit(":", 1)[-1]
    for service, model, states, reason in KEPT_BY_AWS:
        if obj["service"] == service and kind == model and obj.get("state") in states:
            return reason
    return None


# --- main ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="e2e", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, synthesized stacks, states)")
    parser.add_argument("--until", choices=STEPS, default="teardown", help="stop after this step")
    parser.add_argument("--layers", default=",".join(LAYERS), help="dev layers to deploy (comma-separated, guide order kept)")
    parser.add_argument("--tf-log", action="store_true", help="TF_LOG=DEBUG into <work>/logs/terraform-debug.log (large)")
    args = parser.parse_args(argv)
    layers = [x for x in LAYERS if x in args.layers.split(",")]
    t_start = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below: stop the emulator
    run = Run(work=Path(tempfile.mkdtemp(prefix="markmail-e2e.")))
    (run.work / "logs").mkdir()
    status = 1
    try:
        start_emulator(run)
        if args.tf_log:
            run.env.update({"TF_LOG": "DEBUG", "TF_LOG_PATH": str(run.work / "logs" / "terraform-debug.log")})
        for step in STEPS:
            if step == "bootstrap":
                step_bootstrap(run)
            elif step == "deploy":
                step_deploy(run, layers)
            elif step == "drift":
                step_drift(run, layers)
            elif step == "guide" and set(layers) >= set(LAYERS):
                step_guide(run)
            elif step == "lock" and "monitoring" in layers:
                step_lock(run)
            elif step == "teardown":
                step_teardown(run, layers)
            if step == args.until:
                break
        status = 0
    except Exception as e:  # noqa: BLE001 - reported in the summary, exit non-zero
        run.failures.append(f"aborted: {e}")
        log(f"e2e aborted: {e}")
    finally:
        stop_emulator(run)
        summary(run, time.monotonic() - t_start)
        if args.keep or run.failures:
            log(f"work directory kept: {run.work}")
        else:
            shutil.rmtree(run.work, ignore_errors=True)
    return 0 if status == 0 and not run.failures else 1


def open_gaps() -> int:
    """Emulator gaps recorded as not closed (README table rows marked 'open')."""
    readme = HERE / "README.md"
    return sum(1 for ln in readme.read_text().splitlines() if ln.startswith("|") and "| open |" in ln) if readme.exists() else 0


def summary(run: Run, seconds: float) -> None:
    applied = sum(r.applied for r in run.results)
    planned = sum(max(r.planned, r.applied) for r in run.results)
    drift = str(sum(1 for rc in run.drift.values() if rc != 0)) if run.drift else "not run"
    guide_ok = sum(1 for _, ok, _ in run.guide if ok)
    ops_ok = sum(1 for _, ok, _ in run.ops if ok)
    log("")
    log("per stack: resources applied/planned, seconds")
    for r in run.results:
        log(f"  {r.stack:<28} {r.applied:>3}/{r.planned:<3} {r.seconds:6.1f} s{'' if r.ok else '  FAILED'}")
    for f in run.failures:
        log(f"failure: {f}")
    log(f"e2e: {applied}/{planned} resources applied ({open_gaps()} emulator gaps), drift {drift}, "
        f"guide commands {guide_ok}/{len(run.guide)}, ops scripts {ops_ok}/{len(run.ops)}, destroy guard {run.guard}, "
        f"{len(run.left)} markmail-{ENV} objects left ({len(run.left) - len(run.unexpected)} as AWS keeps them, "
        f"{len(run.unexpected)} unexpected), {seconds:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
