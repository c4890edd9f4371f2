#!/usr/bin/env bash
# Sets the Salesforce OAuth client id and secret of one environment and redeploys the backend.
set -euo pipefail
# shellcheck source=../../lib/ops.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/lib/ops.sh"

usage_line() {
  echo "usage: $(basename "$0") <dev|staging|prod> <client-id> <client-secret|-> [--profile P] [--region R] [--no-redeploy] [--wait]"
}

usage() {
  usage_line
  cat <<'EOF'

Merges client_id and client_secret into the JSON of markmail-<env>-salesforce-secret (every
other key, e.g. redirect_url and use_sandbox, is kept), then starts a new deployment of the
ECS service markmail-<env>-backend in cluster markmail-<env> (--force-new-deployment), so the
tasks start with the new values.

Arguments:
  <env>            dev, staging or prod
  <client-id>      the Connected App's consumer key
  <client-secret>  the consumer secret, or - to read it from standard input (recommended: a
                   secret given as an argument stays in your shell history and is visible in
                   the process list while the script runs)

Options:
  --profile P      AWS CLI profile
  --region R       AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, ap-northeast-1)
  --no-redeploy    only update the secret
  --wait           after the redeploy, wait until the service is stable (aws ecs wait services-stable)
  -h, --help       this text

No secret value is printed. The new JSON reaches the AWS CLI as a file:// argument pointing to
a mode-600 file in a private temporary directory that is removed on exit.

Example:
  printf '%s' "$SF_CLIENT_SECRET" | ./update_aws_secrets.sh dev 3MVG9...abc - --profile your-profile
EOF
}

redeploy=true
wait_stable=false
positional=()
while [[ $# -gt 0 ]]; do
  common_option "$@"
  if ((OPS_SHIFT)); then shift "$OPS_SHIFT"; continue; fi
  case "$1" in
    --no-redeploy) redeploy=false; shift ;;
    --wait) wait_stable=true; shift ;;
    -) positional+=("$1"); shift ;;
    --*)
      # Never echo an unknown argument: it may be a secret that starts with dashes.
      usage_error "unknown option at argument $((${#positional[@]} + 1)) (value not shown)" ;;
    *) positional+=("$1"); shift ;;
  esac
done

[[ ${#positional[@]} -eq 3 ]] || usage_error "expected 3 arguments (<env> <client-id> <client-secret|->), got ${#positional[@]}"
env="${positional[0]}"
client_id="${positional[1]}"
client_secret="${positional[2]}"
check_env "$env"
[[ "$client_id" =~ ^[[:graph:]]{1,255}$ ]] || usage_error "<client-id> must be 1-255 visible characters without spaces"
if [[ "$client_secret" == "-" ]]; then
  if [[ -t 0 ]]; then
    printf 'Salesforce client secret for %s (input hidden): ' "$env" >&2
    IFS= read -r -s client_secret || true
    printf '\n' >&2
  else
    IFS= read -r client_secret || true
  fi
fi
[[ "$client_secret" =~ ^[[:graph:]]{1,255}$ ]] || usage_error "<client-secret> must be 1-255 visible characters without spaces (value not shown)"

init_aws
require python3 "install Python 3 (used to merge the secret's JSON)"
make_private_tmp
trap 'rm -rf "$OPS_TMP"' EXIT

secret_id="markmail-${env}-salesforce-secret"
cluster="markmail-${env}"
service="markmail-${env}-backend"

# 1. Read the current JSON (straight into a private file).
if ! aws_cli secretsmanager get-secret-value --secret-id "$secret_id" --query SecretString --output text \
  >"$OPS_TMP/current.json" 2>"$OPS_TMP/err"; then
  explain_secret_error "$secret_id" "$OPS_TMP/err"
fi

# 2. Merge: the new values reach python3 through its environment, not its argv.
kept="$(MARKMAIL_CLIENT_ID="$client_id" MARKMAIL_CLIENT_SECRET="$client_secret" python3 -c '
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
try:
    doc = json.load(open(src))
except ValueError:
    sys.exit("its current value is not JSON; refusing to overwrite it (fix it in the console first)")
if not isinstance(doc, dict):
    sys.exit("its current value is not a JSON object; refusing to overwrite it")
doc["client_id"] = os.environ["MARKMAIL_CLIENT_ID"]
doc["client_secret"] = os.environ["MARKMAIL_CLIENT_SECRET"]
fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as f:
    json.dump(doc, f)
print(", ".join(sorted(k for k in doc if k not in ("client_id", "client_secret"))) or "none")
' "$OPS_TMP/current.json" "$OPS_TMP/new.json" 2>"$OPS_TMP/err")" || die "$secret_id: $(cat "$OPS_TMP/err")"
rm -f "$OPS_TMP/current.json"
unset client_secret

# 3. Write the new version.
if ! version="$(aws_cli secretsmanager put-secret-value --secret-id "$secret_id" \
  --secret-string "file://$OPS_TMP/new.json" --query VersionId --output text 2>"$OPS_TMP/err")"; then
  die "could not update $secret_id: $(tr '\n' ' ' <"$OPS_TMP/err")"
fi
rm -f "$OPS_TMP/new.json"
echo "updated $secret_id in $(aws_target): client_id, client_secret set (version $version); kept keys: $kept"

# 4. Redeploy the backend so new tasks read the new values.
if [[ "$redeploy" == false ]]; then
  echo "not redeploying (--no-redeploy): run 'aws ecs update-service --cluster $cluster --service $service --force-new-deployment' when ready"
  exit 0
fi
if ! deployment="$(aws_cli ecs update-service --cluster "$cluster" --service "$service" --force-new-deployment \
  --query 'service.deployments[0].id' --output text 2>"$OPS_TMP/err")"; then
  die "the secret was updated, but the redeploy of $service failed: $(tr '\n' ' ' <"$OPS_TMP/err")- retry: aws ecs update-service --cluster $cluster --service $service --force-new-deployment"
fi
echo "started a new deployment of $service in cluster $cluster ($deployment)"

if [[ "$wait_stable" == true ]]; then
  echo "waiting until $service is stable..."
  aws_cli ecs wait services-stable --cluster "$cluster" --services "$service"
  echo "$service is stable"
fi
