#!/usr/bin/env bash
# Shows why the last task of an ECS service stopped (the guide's troubleshooting, in one command).
set -euo pipefail
# shellcheck source=../lib/ops.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib/ops.sh"

usage_line() {
  echo "usage: $(basename "$0") <dev|staging|prod> [backend|frontend] [--profile P] [--region R]"
}

usage() {
  usage_line
  cat <<'EOF'

Finds the most recently stopped task of the service markmail-<env>-<service> (default: backend)
in cluster markmail-<env> and prints its stop code, stopped reason, and each container's exit
code and reason, then the service's latest events. ECS keeps stopped tasks for about an hour.

Same as:
  aws ecs list-tasks --cluster markmail-<env> --service-name markmail-<env>-backend --desired-status STOPPED
  aws ecs describe-tasks --cluster markmail-<env> --tasks <arn> --query 'tasks[0].stoppedReason'

Options:
  --profile P      AWS CLI profile
  --region R       AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, ap-northeast-1)
  -h, --help       this text
EOF
}

positional=()
while [[ $# -gt 0 ]]; do
  common_option "$@"
  if ((OPS_SHIFT)); then shift "$OPS_SHIFT"; continue; fi
  case "$1" in
    -*) usage_error "unknown option: $1" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ ${#positional[@]} -ge 1 && ${#positional[@]} -le 2 ]] || usage_error "expected <env> and optionally <service>, got ${#positional[@]} arguments"
env="${positional[0]}"
svc="${positional[1]:-backend}"
check_env "$env"
case "$svc" in backend | frontend) ;; *) usage_error "service \"$svc\" is not valid: expected backend or frontend" ;; esac

init_aws
require python3 "install Python 3"
make_private_tmp
trap 'rm -rf "$OPS_TMP"' EXIT

cluster="markmail-${env}"
service="markmail-${env}-${svc}"

arns="$(aws_cli ecs list-tasks --cluster "$cluster" --service-name "$service" --desired-status STOPPED \
  --query 'taskArns' --output text 2>"$OPS_TMP/err")" || {
  if grep -q -E "ClusterNotFoundException|ServiceNotFoundException" "$OPS_TMP/err"; then
    die "no service $service in cluster $cluster in $(aws_target): deploy markmail-$env-ecs first, or check --profile/--region"
  fi
  die "cannot list tasks of $service: $(tr '\n' ' ' <"$OPS_TMP/err")"
}
if [[ -z "$arns" || "$arns" == "None" ]]; then
  echo "$service: no stopped task in $(aws_target) (ECS keeps stopped tasks for about an hour)"
  exit 0
fi

# describe-tasks takes at most 100 ARNs; list-tasks returns the newest first.
read -r -a task_arns <<<"$(tr '\t' ' ' <<<"$arns")"
aws_cli ecs describe-tasks --cluster "$cluster" --tasks "${task_arns[@]:0:100}" --output json >"$OPS_TMP/tasks.json" 2>"$OPS_TMP/err" ||
  die "cannot describe the stopped tasks of $service: $(tr '\n' ' ' <"$OPS_TMP/err")"
aws_cli ecs describe-services --cluster "$cluster" --services "$service" --output json >"$OPS_TMP/services.json" 2>/dev/null ||
  echo '{}' >"$OPS_TMP/services.json"

python3 - "$OPS_TMP/tasks.json" "$OPS_TMP/services.json" "$service" "$env" "$svc" <<'PY'
import json, sys

tasks_file, services_file, service, env, svc = sys.argv[1:6]
tasks = json.load(open(tasks_file)).get("tasks", [])
# list-tasks --service-name filters on the service; keep that guarantee when an API ignores it.
mine = [t for t in tasks if t.get("group") in (None, f"service:{service}")]
if not mine:
    print(f"{service}: no stopped task found")
    sys.exit(0)


def when(t):
    return str(t.get("stoppedAt") or t.get("stoppingAt") or t.get("createdAt") or "")


task = max(mine, key=when)
dash = "-"
print(f"last stopped task of {service}:")
print(f"  task:            {task.get('taskArn', dash)}")
print(f"  task definition: {task.get('taskDefinitionArn', dash)}")
print(f"  stopped at:      {task.get('stoppedAt', dash)}")
print(f"  stop code:       {task.get('stopCode', dash)}")
print(f"  stopped reason:  {task.get('stoppedReason') or dash}")
print("  containers:")
for c in task.get("containers", []):
    exit_code = c.get("exitCode", dash)
    print(f"    {c.get('name', '?')}: last status {c.get('lastStatus', dash)}, exit code {exit_code}, reason: {c.get('reason') or dash}")
services = json.load(open(services_file)).get("services", [])
events = services[0].get("events", [])[:5] if services else []
if events:
    print("  latest service events:")
    for e in events:
        print(f"    {e.get('createdAt', '')} {e.get('message', '')}")
print(f"logs: aws logs tail /ecs/markmail-{env}-{svc} --since 1h")
PY
