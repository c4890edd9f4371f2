#!/usr/bin/env bash
# npm run e2e — one environment deployed for real on the local AWS emulator (issue 12):
# moto + the tested patches of scripts/e2e/moto_ext on 127.0.0.1 over TLS, markmail-bootstrap
# applied and used as the real S3 backend (DynamoDB + lockfile locking, KMS-encrypted state) of
# every dev stack, deployed with `npx cdktf deploy` in the guide's order; then no drift, the
# guide's operator commands and ops scripts, a lock race, prod's destroy guard and the dev
# teardown. Details: scripts/e2e/README.md.
#
# Usage: scripts/e2e/run.sh [--if-cached] [--keep] [--until STEP] [--layers a,b,...]
#   --if-cached  exit 0 with "e2e skipped: provider not built" when scripts/engine/build.sh has
#                not built the AWS provider (fresh CI machines); without it the build runs first
#   --keep       keep the work directory (logs, synthesized stacks, local bootstrap state)
#   --until S    stop after step S: bootstrap, deploy, drift, guide, lock, teardown (default)
#   --layers L   dev layers to deploy (default: all nine, guide order)
#   --tf-log     TF_LOG=DEBUG of every Terraform run into <work>/logs/terraform-debug.log
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${MARKMAIL_ENGINE_CACHE:-$HOME/.cache/markmail-engine}"

if_cached=0
args=()
for a in "$@"; do
  case "$a" in
    --if-cached) if_cached=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

provider="$cache/plugins/registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws_v6.25.0_x5"
if [[ ! -x "$provider" || ! -f "$cache/aws-provider.stamp" || ! -f "$cache/env.sh" ]]; then
  if [[ $if_cached == 1 ]]; then
    echo "e2e skipped: provider not built (scripts/engine/build.sh takes ~37 min)"
    exit 0
  fi
  echo "e2e: provider not built yet: running scripts/engine/build.sh (~37 min, once)" >&2
  bash "$root/scripts/engine/build.sh" >&2
fi
# shellcheck source=/dev/null
. "$cache/env.sh" # TF_CLI_CONFIG_FILE (filesystem mirror), CHECKPOINT_DISABLE, MARKMAIL_TF
[[ -x "$MARKMAIL_TF" ]] || { echo "e2e: engine $MARKMAIL_TF from $cache/env.sh is missing; run scripts/engine/build.sh" >&2; exit 1; }
[[ -x "$root/node_modules/.bin/cdktf" ]] || { echo "e2e: node_modules/.bin/cdktf missing: run npm ci" >&2; exit 1; }

# shellcheck source=../tests/venv.sh
source "$root/scripts/tests/venv.sh"
ops_venv # moto, the AWS CLI and boto3, pinned in scripts/tests/requirements.txt
export PATH="$OPS_VENV/bin:$PATH" TF_CLI_CONFIG_FILE MARKMAIL_TF

# opa for the pipeline's deploy stage (scripts/pipeline/deploy-ecs.sh judges its plan with it).
if ! command -v opa >/dev/null && command -v go >/dev/null; then PATH="$PATH:$(go env GOPATH)/bin"; fi
command -v opa >/dev/null || bash "$root/scripts/policy/install-tools.sh" >&2
if ! command -v opa >/dev/null && command -v go >/dev/null; then PATH="$PATH:$(go env GOPATH)/bin"; fi
if ! command -v jq >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  { apt-get update -qq && apt-get install -y -qq jq; } >&2
fi
command -v jq >/dev/null || { echo "e2e: jq missing (scripts/pipeline/deploy-ecs.sh needs it): apt-get install jq" >&2; exit 1; }
export PATH

# e2e.py stops the emulator itself (also on failure); the trap covers a kill of this script.
pid=""
# shellcheck disable=SC2329 # invoked by the traps
stop() { if [[ -n "$pid" ]]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap stop EXIT
trap 'stop; exit 130' INT TERM
cd "$root"
"$OPS_VENV/bin/python" "$here/e2e.py" "${args[@]}" &
pid=$!
wait "$pid"
