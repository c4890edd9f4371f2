#!/usr/bin/env bash
# The pipeline's deploy stage (CodeBuild markmail-<env>-ecs-deploy): put the images the build stage
# pushed into service by applying the ECS stack, through the same policy gate as any deploy.
#   1. write each service's new tag to /markmail/<env>/<service>/image-tag (remember the old one)
#   2. terraform init (the stack's S3 backend and lock) / plan -out of markmail-<env>-ecs
#   3. OPA (policies/) on the stack and on the plan; any deny stops the deploy
#   4. image-only guard: the plan may only replace task definitions and point the services at
#      them; anything else means the branch differs from what was deployed (stop: cdktf deploy it)
#   5. terraform apply of exactly that plan
# A failure before the apply puts the old tags back, so the parameters always name what runs.
# Usage: scripts/pipeline/deploy-ecs.sh <dev|staging|prod> <stack dir> <service>=<tag-file> ...
# Env:   TERRAFORM (default terraform), OPA (default opa), POLICY_DIR (default policies),
#        AWS_* as the AWS CLI reads them; SSM_PREFIX (default /markmail)
set -euo pipefail

usage() { echo "usage: deploy-ecs.sh <dev|staging|prod> <stack dir> <service>=<tag-file> ..." >&2; exit 2; }
[ $# -ge 3 ] || usage
env_name="$1"; stack_dir="$2"; shift 2
case "$env_name" in dev|staging|prod) ;; *) usage ;; esac
[ -f "$stack_dir/cdk.tf.json" ] || { echo "deploy-ecs: no cdk.tf.json in $stack_dir (synthesize markmail-$env_name-ecs first)" >&2; exit 1; }
TERRAFORM="${TERRAFORM:-terraform}"
OPA="${OPA:-opa}"
POLICY_DIR="$(cd "${POLICY_DIR:-policies}" && pwd)"
prefix="${SSM_PREFIX:-/markmail}/$env_name"

declare -A new_tag old_tag
for arg in "$@"; do
  svc="${arg%%=*}"; file="${arg#*=}"
  case "$svc" in backend|frontend) ;; *) echo "deploy-ecs: unknown service '$svc'" >&2; exit 2 ;; esac
  tag="$(tr -d '[:space:]' <"$file")"
  # ECR tag grammar; the build writes a commit SHA prefix.
  [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { echo "deploy-ecs: $file holds no valid image tag" >&2; exit 1; }
  new_tag[$svc]="$tag"
done

restore() {
  for svc in "${!old_tag[@]}"; do
    aws ssm put-parameter --name "$prefix/$svc/image-tag" --value "${old_tag[$svc]}" --type String --overwrite >/dev/null \
      && echo "deploy-ecs: $svc image tag restored to ${old_tag[$svc]}" >&2
  done
}
trap restore ERR

for svc in "${!new_tag[@]}"; do
  old_tag[$svc]="$(aws ssm get-parameter --name "$prefix/$svc/image-tag" --query Parameter.Value --output text)"
  aws ssm put-parameter --name "$prefix/$svc/image-tag" --value "${new_tag[$svc]}" --type String --overwrite >/dev/null
  echo "deploy-ecs: $svc ${old_tag[$svc]} -> ${new_tag[$svc]}"
done

cd "$stack_dir"
"$TERRAFORM" init -input=false -no-color >/dev/null
"$TERRAFORM" plan -input=false -no-color -lock-timeout=5m -out=tfplan >plan.txt || { cat plan.txt; false; }
"$TERRAFORM" show -json tfplan >plan.json

denies="$("$OPA" eval --data "$POLICY_DIR" --input cdk.tf.json --format raw 'concat("\n", sort(data.markmail.main.deny))')
$("$OPA" eval --data "$POLICY_DIR" --input plan.json --format raw 'concat("\n", sort(data.markmail.main.deny))')"
denies="$(sed '/^$/d' <<<"$denies")"
# shellcheck disable=SC2001 # indents every line of a multi-line value
if [ -n "$denies" ]; then echo "deploy-ecs: the policy gate denies this plan:" >&2; sed 's/^/  /' <<<"$denies" >&2; false; fi

# Image-only guard: jq prints every change that is not a task definition replacement or an
# in-place service update of task_definition alone.
others="$(jq -r '
  .resource_changes[]
  | select(.change.actions != ["no-op"] and .change.actions != ["read"])
  | select(
      (.type == "aws_ecs_task_definition" and ((.change.actions | sort) == ["create", "delete"] or .change.actions == ["create"]))
      or (.type == "aws_ecs_service" and .change.actions == ["update"]
          and ((.change.before | del(.task_definition)) == (.change.after | del(.task_definition))))
      | not)
  | "\(.address) \(.change.actions | join(","))"' plan.json)"
if [ -n "$others" ]; then
  echo "deploy-ecs: the plan changes more than the images; deploy markmail-$env_name-ecs from the branch first (cdktf deploy):" >&2
  # shellcheck disable=SC2001 # indents every line of a multi-line value
  sed 's/^/  /' <<<"$others" >&2
  false
fi
changes="$(jq '[.resource_changes[] | select(.change.actions != ["no-op"] and .change.actions != ["read"])] | length' plan.json)"
echo "deploy-ecs: plan judged (OPA clean, images only): $changes resource changes"

trap - ERR
"$TERRAFORM" apply -input=false -no-color -lock-timeout=5m tfplan
