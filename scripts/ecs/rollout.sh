#!/usr/bin/env bash
# Puts Terraform's task definition of an ECS service into service, keeping the image the service runs.
set -euo pipefail
# shellcheck source=../lib/ops.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib/ops.sh"

# The image tag of the revisions Terraform registers (BOOTSTRAP_IMAGE_TAG in stacks/ecs-stack.ts);
# the pipeline's revisions carry commit-SHA tags instead.
readonly TERRAFORM_IMAGE_TAG="bootstrap"
# How many of the newest ACTIVE revisions are searched for Terraform's one.
readonly MAX_SEARCH=100

usage_line() {
  echo "usage: $(basename "$0") <dev|staging|prod> <backend|frontend|all> [--profile P] [--region R] [--dry-run] [--wait]"
}

usage() {
  usage_line
  cat <<'EOF'

Terraform ignores the task definition of the services markmail-<env>-backend and -frontend
after creation (the pipeline owns the image), so a task definition change deployed with the
stack markmail-<env>-ecs (environment variable, secret, CPU/memory, user, volumes) registers a
new revision that no task uses yet. This script puts it into service:

  1. reads the revision the service runs and the image of its app container (backend|frontend);
  2. finds Terraform's revision: the newest ACTIVE revision of the family markmail-<env>-<service>
     whose app image has the tag :bootstrap (the pipeline's revisions have commit-SHA tags);
  3. if the running revision already has Terraform's settings (everything but the image and the
     tags equal), says "up to date" and stops;
  4. otherwise registers a copy of Terraform's revision (tags kept) with the running image in the
     app container and in its <service>-scratch-init container, and points the service at it
     (aws ecs update-service --task-definition). The circuit breaker rolls back a failed start.

Later pipeline runs build their revisions from this one, so the change stays.

Arguments:
  <env>            dev, staging or prod
  <service>        backend, frontend, or all (both, one after the other)

Options:
  --profile P      AWS CLI profile
  --region R       AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, ap-northeast-1)
  --dry-run        print what would change (names of environment variables and secrets, never
                   their values; CPU/memory; image) and register nothing
  --wait           after the update, wait until the service is stable (aws ecs wait services-stable)
  -h, --help       this text

It refuses to run while a deployment of the service is in progress (e.g. the pipeline's).

Example, after changing the backend's environment in stacks/ecs-stack.ts:
  npx cdktf deploy markmail-dev-ecs
  scripts/ecs/rollout.sh dev backend --dry-run
  scripts/ecs/rollout.sh dev backend --wait
EOF
}

dry_run=false
wait_stable=false
positional=()
while [[ $# -gt 0 ]]; do
  common_option "$@"
  if ((OPS_SHIFT)); then shift "$OPS_SHIFT"; continue; fi
  case "$1" in
    --dry-run) dry_run=true; shift ;;
    --wait) wait_stable=true; shift ;;
    -*) usage_error "unknown option: $1" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ ${#positional[@]} -eq 2 ]] || usage_error "expected <env> and <service>, got ${#positional[@]} arguments"
env="${positional[0]}"
target="${positional[1]}"
check_env "$env"
case "$target" in
  backend | frontend) services=("$target") ;;
  all) services=(backend frontend) ;;
  *) usage_error "service \"$target\" is not valid: expected backend, frontend or all" ;;
esac
if [[ "$dry_run" == true && "$wait_stable" == true ]]; then usage_error "--wait has no effect with --dry-run"; fi

init_aws
require python3 "install Python 3"
make_private_tmp
trap 'rm -rf "$OPS_TMP"' EXIT
cluster="markmail-${env}"

# The JSON work. Task definitions hold environment values: they stay in files of OPS_TMP and
# only names are printed.
cat >"$OPS_TMP/td.py" <<'PY'
import json, os, re, sys

# Fields of describe-task-definition that register-task-definition does not take.
READ_ONLY = {"taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
             "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt"}


def load(path):
    with open(path) as f:
        return json.load(f)


def fail(msg):
    sys.exit(msg)


def service_state(path, service):
    """Prints the running task definition ARN; exits 4 when the service does not exist."""
    doc = load(path)
    found = [s for s in doc.get("services", []) if s.get("serviceName") == service and s.get("status") == "ACTIVE"]
    if not found:
        sys.exit(4)
    s = found[0]
    busy = [d for d in s.get("deployments", []) if d.get("status") != "PRIMARY"]
    print(s["taskDefinition"])
    print("busy" if busy else "idle")


def newest_first(path, family):
    arns = load(path) or []
    mine = [a for a in arns if a.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family]
    for a in sorted(mine, key=lambda a: int(a.rsplit(":", 1)[1]), reverse=True):
        print(a)


def app(td, svc):
    for c in td.get("containerDefinitions", []):
        if c.get("name") == svc:
            return c
    fail(f"{td.get('taskDefinitionArn', '?')} has no container named {svc}")


def image_of(path, svc):
    print(app(load(path)["taskDefinition"], svc).get("image", ""))


def is_terraform(path, svc, tag):
    image = app(load(path)["taskDefinition"], svc).get("image", "")
    sys.exit(0 if re.search(r":" + re.escape(tag) + r"$", image) else 1)


def image_bearers(svc):
    return (svc, f"{svc}-scratch-init")


def settings(td, svc):
    """What must match: the registrable fields without tags, the image of the app and init container blanked."""
    out = {k: v for k, v in td.items() if k not in READ_ONLY}
    out["containerDefinitions"] = [
        {**c, "image": "<image>"} if c.get("name") in image_bearers(svc) else c for c in td.get("containerDefinitions", [])
    ]
    return out


def names(items):
    return {i.get("name"): i.get("value", i.get("valueFrom")) for i in items or []}


def diff_named(label, old, new):
    o, n = names(old), names(new)
    parts = [f"+ {k}" for k in sorted(n.keys() - o.keys())]
    parts += [f"- {k}" for k in sorted(o.keys() - n.keys())]
    parts += [f"~ {k}" for k in sorted(o.keys() & n.keys()) if o[k] != n[k]]
    return [f"    {label}: " + ", ".join(parts)] if parts else []


def describe_diff(run, tf, svc):
    """Lines naming what Terraform's revision changes; never a value of the environment or a secret."""
    lines = []
    for key in ("cpu", "memory"):
        if run.get(key) != tf.get(key):
            lines.append(f"  {key}: {run.get(key, '-')} -> {tf.get(key, '-')}")
    other = sorted(k for k in (run.keys() | tf.keys()) - {"cpu", "memory", "containerDefinitions"} if run.get(k) != tf.get(k))
    if other:
        lines.append("  task settings changed: " + ", ".join(other))
    rc = {c["name"]: c for c in run["containerDefinitions"]}
    tc = {c["name"]: c for c in tf["containerDefinitions"]}
    for name in sorted(tc.keys() - rc.keys()):
        lines.append(f"  container {name}: added")
    for name in sorted(rc.keys() - tc.keys()):
        lines.append(f"  container {name}: removed")
    for name in [n for n in tc if n in rc]:
        a, b = rc[name], tc[name]
        sub = diff_named("environment", a.get("environment"), b.get("environment"))
        sub += diff_named("secrets", a.get("secrets"), b.get("secrets"))
        rest = sorted(k for k in (a.keys() | b.keys()) - {"environment", "secrets"} if a.get(k) != b.get(k))
        if rest:
            sub.append("    settings changed: " + ", ".join(rest))
        if sub:
            lines.append(f"  container {name}:")
            lines.extend(sub)
    return lines


def plan(running_path, tf_path, svc, out_path):
    """Exit 3: up to date. Otherwise prints the differences and writes the register input (mode 600)."""
    running, tf_doc = load(running_path), load(tf_path)
    run_td, tf_td = running["taskDefinition"], tf_doc["taskDefinition"]
    image = app(run_td, svc).get("image")
    if not image:
        fail(f"{run_td['taskDefinitionArn']}: container {svc} has no image")
    app(tf_td, svc)
    run_s, tf_s = settings(run_td, svc), settings(tf_td, svc)
    if run_s == tf_s:
        sys.exit(3)
    for line in describe_diff(run_s, tf_s, svc):
        print(line)
    tf_image = app(tf_td, svc).get("image", "-")
    print(f"  image: {image} (kept; Terraform's revision names {tf_image})")
    body = {k: v for k, v in tf_td.items() if k not in READ_ONLY}
    body["containerDefinitions"] = [
        {**c, "image": image} if c.get("name") in image_bearers(svc) else c for c in tf_td["containerDefinitions"]
    ]
    tags = tf_doc.get("tags") or []
    if tags:
        body["tags"] = tags
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(body, f)


cmd, args = sys.argv[1], sys.argv[2:]
{"service": service_state, "newest-first": newest_first, "image": image_of, "is-terraform": is_terraform, "plan": plan}[cmd](*args)
PY

td() { python3 "$OPS_TMP/td.py" "$@"; }
revision_of() { printf '%s' "${1##*:}"; }
one_line() { tr '\n' ' ' <"$1"; }

# Rolls out one service; runs in a subshell, so `die` ends only this service.
rollout() {
  local svc="$1"
  local service="markmail-${env}-${svc}" family="markmail-${env}-${svc}" d="$OPS_TMP/$svc"
  local state running_arn busy image arn tf_arn="" searched=0 new_arn rc
  mkdir "$d"

  aws_cli ecs describe-services --cluster "$cluster" --services "$service" --output json >"$d/service.json" 2>"$d/err" || {
    if grep -q "ClusterNotFoundException" "$d/err"; then
      die "no service $service in cluster $cluster in $(aws_target): deploy markmail-$env-ecs first, or check --profile/--region"
    fi
    die "cannot describe $service: $(one_line "$d/err")"
  }
  rc=0
  state="$(td service "$d/service.json" "$service" 2>"$d/err")" || rc=$?
  if [[ $rc -eq 4 ]]; then
    die "no service $service in cluster $cluster in $(aws_target): deploy markmail-$env-ecs first, or check --profile/--region"
  elif [[ $rc -ne 0 ]]; then
    die "$service: $(one_line "$d/err")"
  fi
  running_arn="$(sed -n 1p <<<"$state")"
  busy="$(sed -n 2p <<<"$state")"
  if [[ "$busy" == busy && "$dry_run" == false ]]; then
    die "a deployment of $service is in progress (the pipeline's?): wait for it (aws ecs wait services-stable --cluster $cluster --services $service) and run again"
  fi

  aws_cli ecs describe-task-definition --task-definition "$running_arn" --include TAGS --output json >"$d/running.json" 2>"$d/err" ||
    die "cannot describe the running task definition $running_arn: $(one_line "$d/err")"
  image="$(td image "$d/running.json" "$svc" 2>"$d/err")" || die "$(one_line "$d/err")"

  # Terraform's revision: the newest ACTIVE one whose app image has the :bootstrap tag.
  aws_cli ecs list-task-definitions --family-prefix "$family" --status ACTIVE --query taskDefinitionArns --output json \
    >"$d/active.json" 2>"$d/err" || die "cannot list the task definitions of $family: $(one_line "$d/err")"
  td newest-first "$d/active.json" "$family" >"$d/candidates"
  while IFS= read -r arn; do
    [[ $searched -lt $MAX_SEARCH ]] || break
    searched=$((searched + 1))
    if [[ "$arn" == "$running_arn" ]]; then
      cp "$d/running.json" "$d/candidate.json"
    else
      aws_cli ecs describe-task-definition --task-definition "$arn" --include TAGS --output json >"$d/candidate.json" 2>"$d/err" ||
        die "cannot describe $arn: $(one_line "$d/err")"
    fi
    if td is-terraform "$d/candidate.json" "$svc" "$TERRAFORM_IMAGE_TAG" 2>"$d/err"; then
      tf_arn="$arn"
      mv "$d/candidate.json" "$d/terraform.json"
      break
    fi
  done <"$d/candidates"
  if [[ -z "$tf_arn" ]]; then
    die "$service: none of the $searched newest ACTIVE revisions of $family has the image tag :$TERRAFORM_IMAGE_TAG of Terraform's revisions; deploy markmail-$env-ecs first"
  fi

  rc=0
  td plan "$d/running.json" "$d/terraform.json" "$svc" "$d/register.json" >"$d/plan" 2>"$d/err" || rc=$?
  if [[ $rc -eq 3 ]]; then
    if [[ "$tf_arn" == "$running_arn" ]]; then
      echo "$service: up to date (it runs Terraform's revision $(revision_of "$tf_arn"), image $image)"
    else
      echo "$service: up to date (running revision $(revision_of "$running_arn") has the settings of Terraform's revision $(revision_of "$tf_arn"); image $image)"
    fi
    return 0
  elif [[ $rc -ne 0 ]]; then
    die "$service: $(one_line "$d/err")"
  fi

  echo "$service: running revision $(revision_of "$running_arn") differs from Terraform's revision $(revision_of "$tf_arn"):"
  cat "$d/plan"
  if [[ "$dry_run" == true ]]; then
    [[ "$busy" == idle ]] || echo "  note: a deployment of $service is in progress; a real run waits for it to finish"
    echo "  dry run: nothing registered, $service unchanged"
    return 0
  fi

  new_arn="$(aws_cli ecs register-task-definition --cli-input-json "file://$d/register.json" \
    --query taskDefinition.taskDefinitionArn --output text 2>"$d/err")" ||
    die "could not register a copy of $tf_arn: $(one_line "$d/err")"
  rm -f "$d/register.json"
  aws_cli ecs update-service --cluster "$cluster" --service "$service" --task-definition "$new_arn" \
    --query service.taskDefinition --output text >/dev/null 2>"$d/err" ||
    die "registered $new_arn, but the update of $service failed: $(one_line "$d/err")- retry: aws ecs update-service --cluster $cluster --service $service --task-definition $new_arn"
  echo "$service: revision $(revision_of "$running_arn") -> $(revision_of "$new_arn") (Terraform's revision $(revision_of "$tf_arn") with the running image)"
  echo "  task definition: $new_arn"
  echo "  image kept: $image"

  if [[ "$wait_stable" == true ]]; then
    echo "waiting until $service is stable..."
    aws_cli ecs wait services-stable --cluster "$cluster" --services "$service" 2>"$d/err" ||
      die "$service did not become stable: $(one_line "$d/err")- see scripts/ecs/why-stopped.sh $env $svc"
    echo "$service is stable"
  else
    echo "  follow it: aws ecs wait services-stable --cluster $cluster --services $service"
  fi
}

# Each service in its own subshell, outside any `||` (there bash would ignore `set -e`).
failed=0
for svc in "${services[@]}"; do
  set +e
  (set -e; rollout "$svc")
  rc=$?
  set -e
  [[ $rc -eq 0 ]] || failed=1
done
exit "$failed"
