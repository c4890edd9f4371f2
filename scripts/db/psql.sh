#!/usr/bin/env bash
# psql on the Aurora writer of one environment, through an SSM port-forwarding session on the bastion.
set -euo pipefail
# shellcheck source=../lib/ops.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib/ops.sh"

usage_line() {
  echo "usage: $(basename "$0") <dev|staging|prod> [-f file.sql] [-v name=value ...] [--local-port N] [--profile P] [--region R] [-- psql-args...]"
}

usage() {
  usage_line
  cat <<'EOF'

Opens psql as the user of markmail-<env>-db-secret (markmail or markmail_clone: the scheduled
rotation alternates them, both act as markmail) on database markmail of the Aurora writer:
  1. finds the running bastion (EC2 tag Name=markmail-<env>-bastion; start it with
     scripts/bastion.sh <env> on),
  2. finds the writer endpoint (the cluster endpoint of markmail-<env>-cluster, which follows the
     writer through a failover; else the instance markmail-<env> as in the guide),
  3. starts an SSM port-forwarding session (AWS-StartPortForwardingSessionToRemoteHost) from
     127.0.0.1:<local port> through the bastion to the writer, in the background,
  4. reads .username and .password of markmail-<env>-db-secret (the password into PGPASSWORD
     for psql only),
  5. runs psql -h 127.0.0.1 -p <local port> -U <username> -d markmail (interactive, or -f file),
  6. ends the session on exit (also on Ctrl-C or an error).

Options:
  -f FILE          run FILE (psql -f, with ON_ERROR_STOP=1) instead of an interactive session
  -v NAME=VALUE    set a psql variable (repeatable), e.g. -v user_email=ops@example.com;
                   never pass secrets this way (command lines are visible to other users)
  --local-port N   local end of the tunnel (default: a free port)
  --profile P      AWS CLI profile
  --region R       AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, ap-northeast-1)
  -- ARGS          everything after -- goes to psql unchanged
  -h, --help       this text

Needs the AWS CLI with the Session Manager plugin, python3 and psql. PGSSLMODE defaults to
require (TLS to the database through the tunnel). The password is never printed.
Environment: MARKMAIL_AWS (aws command), MARKMAIL_SSM (command that runs
`ssm start-session`, default: the aws command), MARKMAIL_PSQL (psql command),
MARKMAIL_TUNNEL_TIMEOUT (seconds to wait for the tunnel, default 30).

Examples:
  scripts/db/psql.sh dev --profile your-profile
  scripts/db/psql.sh dev -f scripts/salesforce-integration/aws-deployment/insert_crm_integration_to_rds.sql \
    -v user_email=ops@example.com -v org_id=your-org -v instance_url=https://your-org.my.salesforce.com
EOF
}

file=""
local_port=""
psql_vars=()
passthrough=()
positional=()
while [[ $# -gt 0 ]]; do
  common_option "$@"
  if ((OPS_SHIFT)); then shift "$OPS_SHIFT"; continue; fi
  case "$1" in
    -f | --file) need_value "$1" "$#" "${2-}"; file="$2"; shift 2 ;;
    -v | --set) need_value "$1" "$#" "${2-}"
      [[ "$2" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || usage_error "$1 expects NAME=VALUE"
      psql_vars+=(-v "$2"); shift 2 ;;
    --local-port) need_value "$1" "$#" "${2-}"
      [[ "$2" =~ ^[0-9]+$ && "$2" -ge 1024 && "$2" -le 65535 ]] || usage_error "--local-port must be a number 1024-65535"
      local_port="$2"; shift 2 ;;
    --) shift; passthrough=("$@"); break ;;
    -*) usage_error "unknown option: $1" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ ${#positional[@]} -eq 1 ]] || usage_error "expected 1 argument (<env>), got ${#positional[@]}"
env="${positional[0]}"
check_env "$env"
if [[ -n "$file" ]]; then
  [[ -f "$file" && -r "$file" ]] || usage_error "-f $file: no such readable file"
fi

init_aws
require python3 "install Python 3"
read -r -a PSQL_CMD <<<"${MARKMAIL_PSQL:-psql}"
require "${PSQL_CMD[0]}" "install the PostgreSQL client (Debian/Ubuntu: apt-get install postgresql-client), or set MARKMAIL_PSQL"
if [[ -n "${MARKMAIL_SSM:-}" ]]; then
  read -r -a SSM_CMD <<<"$MARKMAIL_SSM"
else
  SSM_CMD=("${AWS_CMD[@]}")
  require session-manager-plugin "install the Session Manager plugin for the AWS CLI (see the AWS Systems Manager user guide)"
fi
timeout_s="${MARKMAIL_TUNNEL_TIMEOUT:-30}"
[[ "$timeout_s" =~ ^[0-9]+$ ]] || die "MARKMAIL_TUNNEL_TIMEOUT must be a number of seconds"

make_private_tmp
session_pid=""
# shellcheck disable=SC2329 # invoked by the EXIT trap
cleanup() {
  local status=$?
  if [[ -n "$session_pid" ]] && kill -0 "$session_pid" 2>/dev/null; then
    # The session runs in its own process group (aws + session-manager-plugin): end both.
    kill -TERM -- "-$session_pid" 2>/dev/null || kill -TERM "$session_pid" 2>/dev/null || true
    wait "$session_pid" 2>/dev/null || true
  fi
  local session_id
  session_id="$(sed -n 's/.*Starting session with SessionId: *\([^ ]*\).*/\1/p' "$OPS_TMP/session.log" 2>/dev/null | head -n1 || true)"
  if [[ -n "$session_id" ]]; then
    # Best effort, one attempt: the session also ends on its own once the plugin is gone.
    AWS_MAX_ATTEMPTS=1 aws_cli ssm terminate-session --session-id "$session_id" >/dev/null 2>&1 || true
  fi
  rm -rf "$OPS_TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bastion_name="markmail-${env}-bastion"
db_instance="markmail-${env}"
db_cluster="markmail-${env}-cluster"
db_secret="markmail-${env}-db-secret"

# 1. The bastion.
instance_id="$(aws_cli ec2 describe-instances \
  --filters "Name=tag:Name,Values=$bastion_name" "Name=instance-state-name,Values=running" \
  --query 'Reservations[].Instances[].InstanceId' --output text 2>"$OPS_TMP/err")" ||
  die "cannot list EC2 instances in $(aws_target): $(tr '\n' ' ' <"$OPS_TMP/err")"
instance_id="${instance_id%%[[:space:]]*}"
if [[ -z "$instance_id" || "$instance_id" == "None" ]]; then
  die "no running instance tagged Name=$bastion_name in $(aws_target): start it with scripts/bastion.sh $env on"
fi

# 2. The writer endpoint: the cluster endpoint follows the writer through a failover (after one,
#    the instance markmail-<env> may be a reader); the guide's instance is the fallback.
endpoint=""
if cluster_ep="$(aws_cli rds describe-db-clusters --db-cluster-identifier "$db_cluster" \
  --query 'DBClusters[0].[Endpoint,Port]' --output text 2>"$OPS_TMP/err")"; then
  endpoint="$cluster_ep"
elif ! grep -q "DBClusterNotFound" "$OPS_TMP/err"; then
  die "cannot describe DB cluster $db_cluster: $(tr '\n' ' ' <"$OPS_TMP/err")"
fi
[[ -n "$endpoint" ]] || endpoint="$(aws_cli rds describe-db-instances --db-instance-identifier "$db_instance" \
  --query 'DBInstances[0].[Endpoint.Address,Endpoint.Port]' --output text 2>"$OPS_TMP/err")" || {
  if grep -q "DBInstanceNotFound" "$OPS_TMP/err"; then
    die "no DB instance $db_instance in $(aws_target): deploy markmail-$env-database first"
  fi
  die "cannot describe DB instance $db_instance: $(tr '\n' ' ' <"$OPS_TMP/err")"
}
read -r db_host db_port <<<"$endpoint"
[[ -n "${db_host:-}" && "$db_host" != "None" ]] || die "DB instance $db_instance has no endpoint yet (is it still creating?)"
[[ "${db_port:-}" =~ ^[0-9]+$ ]] || db_port=5432

# 3. The tunnel, in its own process group so Ctrl-C in psql does not end it.
if [[ -z "$local_port" ]]; then
  local_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
parameters="{\"host\":[\"$db_host\"],\"portNumber\":[\"$db_port\"],\"localPortNumber\":[\"$local_port\"]}"
echo "tunnel: 127.0.0.1:$local_port -> $bastion_name ($instance_id) -> $db_host:$db_port" >&2
set -m
"${SSM_CMD[@]}" "${AWS_ARGS[@]}" ssm start-session --target "$instance_id" \
  --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters "$parameters" \
  </dev/null >"$OPS_TMP/session.log" 2>&1 &
session_pid=$!
set +m

deadline=$((SECONDS + timeout_s))
until (exec 3<>"/dev/tcp/127.0.0.1/$local_port") 2>/dev/null; do
  if ! kill -0 "$session_pid" 2>/dev/null; then
    die "the SSM session ended before the tunnel opened: $(tail -n 5 "$OPS_TMP/session.log" | tr '\n' ' ')"
  fi
  if ((SECONDS >= deadline)); then
    die "the tunnel did not open within ${timeout_s}s (MARKMAIL_TUNNEL_TIMEOUT): $(tail -n 5 "$OPS_TMP/session.log" | tr '\n' ' ')"
  fi
  sleep 0.2
done

# 4. The user (markmail or markmail_clone, whichever is AWSCURRENT) and its password, the
#    password into this one variable, exported to psql only.
db_user="$(secret_field "$db_secret" username)"
[[ "$db_user" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "$db_secret: username is not a plain role name"
password="$(secret_field "$db_secret" password)"

# 5. psql.
psql_args=(-h 127.0.0.1 -p "$local_port" -U "$db_user" -d markmail ${psql_vars[@]+"${psql_vars[@]}"})
if [[ -n "$file" ]]; then psql_args+=(-v ON_ERROR_STOP=1 -f "$file"); fi
trap ':' INT # Ctrl-C belongs to psql (it cancels the running query); the script carries on
set +e
PGPASSWORD="$password" PGSSLMODE="${PGSSLMODE:-require}" "${PSQL_CMD[@]}" "${psql_args[@]}" ${passthrough[@]+"${passthrough[@]}"}
status=$?
set -e
unset password
exit "$status"
