#!/usr/bin/env bash
# Creates, removes or shows the temporary bastion (markmail-<env>-bastion) of one environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/ops.sh
source "$ROOT/scripts/lib/ops.sh"

usage_line() {
  echo "usage: $(basename "$0") <dev|staging|prod> <on|off|status> [--profile P] [--region R] [--auto-approve]"
}

usage() {
  usage_line
  cat <<'EOF'

  on      deploy the stack markmail-<env>-bastion:
            CREATE_BASTION=true CDK_CONTEXT_ENVIRONMENT=<env> \
              npx cdktf deploy markmail-<env>-bastion
  off     destroy it (same command with cdktf destroy); do this when the work is done
  status  list the instances tagged Name=markmail-<env>-bastion (aws ec2 describe-instances)

Connect to it with SSM: scripts/db/psql.sh <env>, or a logged shell:
  aws ssm start-session --target <instance id> --document-name markmail-<env>-bastion-session
markmail-<env>-network and markmail-<env>-database must be deployed first.

Options:
  --profile P      AWS profile (exported as AWS_PROFILE for cdktf, --profile for the AWS CLI)
  --region R       AWS region (on/off: exported as MARKMAIL_REGION and AWS_REGION: the stacks'
                   region, so only pass it if the stacks live there; status: default AWS_REGION,
                   AWS_DEFAULT_REGION, ap-northeast-1)
  --auto-approve   on/off without the confirmation prompt
  -h, --help       this text

Environment: MARKMAIL_CDKTF (cdktf command, default "npx cdktf"), MARKMAIL_AWS (aws command).
EOF
}

auto_approve=false
positional=()
while [[ $# -gt 0 ]]; do
  common_option "$@"
  if ((OPS_SHIFT)); then shift "$OPS_SHIFT"; continue; fi
  case "$1" in
    --auto-approve | --yes) auto_approve=true; shift ;;
    -*) usage_error "unknown option: $1" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ ${#positional[@]} -eq 2 ]] || usage_error "expected 2 arguments (<env> <on|off|status>), got ${#positional[@]}"
env="${positional[0]}"
action="${positional[1]}"
check_env "$env"
case "$action" in on | off | status) ;; *) usage_error "action \"$action\" is not valid: expected on, off or status" ;; esac

stack="markmail-${env}-bastion"

if [[ "$action" == status ]]; then
  init_aws
  make_private_tmp
  trap 'rm -rf "$OPS_TMP"' EXIT
  rows="$(aws_cli ec2 describe-instances \
    --filters "Name=tag:Name,Values=$stack" "Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down" \
    --query 'Reservations[].Instances[].[InstanceId,State.Name,InstanceType,PrivateIpAddress,LaunchTime]' \
    --output text 2>"$OPS_TMP/err")" || die "cannot list EC2 instances in $(aws_target): $(tr '\n' ' ' <"$OPS_TMP/err")"
  if [[ -z "$rows" ]]; then
    echo "$stack: no instance in $(aws_target) (start it with: $(basename "$0") $env on)"
    exit 0
  fi
  printf '%s\n' "$stack in $(aws_target):"
  printf '  %-20s %-10s %-10s %-15s %s\n' INSTANCE STATE TYPE PRIVATE_IP LAUNCHED
  while IFS=$'\t' read -r id state type ip launched; do
    printf '  %-20s %-10s %-10s %-15s %s\n' "$id" "$state" "$type" "$ip" "$launched"
  done <<<"$rows"
  exit 0
fi

read -r -a CDKTF_CMD <<<"${MARKMAIL_CDKTF:-npx cdktf}"
require "${CDKTF_CMD[0]}" "install Node.js and run npm ci in $ROOT, or set MARKMAIL_CDKTF"
verb=deploy
[[ "$action" == off ]] && verb=destroy
args=("$verb" "$stack")
[[ "$auto_approve" == true ]] && args+=(--auto-approve)

if [[ -n "$PROFILE" ]]; then export AWS_PROFILE="$PROFILE"; fi
if [[ "$REGION_GIVEN" == true ]]; then export MARKMAIL_REGION="$REGION" AWS_REGION="$REGION"; fi
export CREATE_BASTION=true CDK_CONTEXT_ENVIRONMENT="$env"
cd "$ROOT"
echo "CREATE_BASTION=true CDK_CONTEXT_ENVIRONMENT=$env ${CDKTF_CMD[*]} ${args[*]}" >&2
exec "${CDKTF_CMD[@]}" "${args[@]}"
