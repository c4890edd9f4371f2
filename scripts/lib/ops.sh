# shellcheck shell=bash
# Shared helpers of the MarkMail ops scripts (sourced, not run).
#
# Conventions every script follows:
#   - `set -euo pipefail`; `--help` prints the usage to stdout and exits 0; a bad argument prints
#     `error: ...` and the usage line to stderr and exits 2; an AWS-side failure exits 1.
#   - `--profile P` and `--region R` are passed to every AWS CLI call. The region defaults to
#     AWS_REGION, then AWS_DEFAULT_REGION, then ap-northeast-1 (the stacks' default region).
#   - No secret value is ever printed, put on a command line or left in a file: secrets travel
#     through pipes, environment variables of one child process, or mode-600 files in a private
#     temporary directory removed on exit.
#   - MARKMAIL_AWS replaces the `aws` command (tests point it at a stub or a wrapper).

readonly MARKMAIL_ENVIRONMENTS="dev staging prod"
readonly MARKMAIL_DEFAULT_REGION="ap-northeast-1"

PROFILE=""
REGION=""

# Prints `error: <message>` to stderr and exits 1 (failures that are not usage errors).
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints `error: <message>` and the script's usage line to stderr, exits 2.
# Each script defines `usage_line` (one line) and `usage` (the full --help text).
usage_error() {
  printf 'error: %s\n' "$*" >&2
  printf '%s\n' "$(usage_line)" >&2
  printf "Run '%s --help' for details.\n" "$(basename "$0")" >&2
  exit 2
}

# Consumes the value of an option: `need_value --profile "$#" "${2-}"`.
need_value() {
  if [[ "$2" -lt 2 || -z "$3" || "$3" == --* ]]; then
    usage_error "$1 needs a value"
  fi
}

# Validates and stores --profile / --region values.
set_profile() {
  [[ "$1" =~ ^[A-Za-z0-9_.+@=,-]+$ ]] || usage_error "--profile: not a profile name: expected letters, digits and _.+@=,-"
  PROFILE="$1"
}
set_region() {
  [[ "$1" =~ ^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$ ]] || usage_error "--region \"$1\" is not valid: expected an AWS region code such as ap-northeast-1"
  REGION="$1"
  REGION_GIVEN=true
}
# shellcheck disable=SC2034 # read by the scripts that source this file
REGION_GIVEN=false

# The options every script shares (-h/--help, --profile, --region). Sets OPS_SHIFT to the number
# of arguments used, 0 when "$1" is not one of them:
#   common_option "$@"; if ((OPS_SHIFT)); then shift "$OPS_SHIFT"; continue; fi
# shellcheck disable=SC2034 # OPS_SHIFT is read by the caller's loop
common_option() {
  OPS_SHIFT=0
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --profile) need_value "$1" "$#" "${2-}"; set_profile "$2"; OPS_SHIFT=2 ;;
    --profile=*) set_profile "${1#*=}"; OPS_SHIFT=1 ;;
    --region) need_value "$1" "$#" "${2-}"; set_region "$2"; OPS_SHIFT=2 ;;
    --region=*) set_region "${1#*=}"; OPS_SHIFT=1 ;;
  esac
}

# Checks the environment argument.
check_env() {
  local env="$1" e
  for e in $MARKMAIL_ENVIRONMENTS; do
    [[ "$env" == "$e" ]] && return 0
  done
  usage_error "environment \"$env\" is not valid: expected dev, staging or prod"
}

# Fails with a hint when a command is missing.
require() {
  local cmd="$1" hint="$2"
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: $hint"
}

# Sets up AWS_CMD (the CLI) and AWS_ARGS (--region, --profile) once the options are parsed.
init_aws() {
  REGION="${REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-$MARKMAIL_DEFAULT_REGION}}}"
  set_region "$REGION"
  read -r -a AWS_CMD <<<"${MARKMAIL_AWS:-aws}"
  require "${AWS_CMD[0]}" "install the AWS CLI (v1 or v2), or set MARKMAIL_AWS"
  AWS_ARGS=(--region "$REGION")
  if [[ -n "$PROFILE" ]]; then AWS_ARGS+=(--profile "$PROFILE"); fi
  export AWS_PAGER=""
}

# Runs the AWS CLI with the common arguments.
aws_cli() {
  "${AWS_CMD[@]}" "${AWS_ARGS[@]}" "$@"
}

# Where we talk to, for messages: "ap-northeast-1 (profile x)".
aws_target() {
  if [[ -n "$PROFILE" ]]; then printf '%s (profile %s)' "$REGION" "$PROFILE"; else printf '%s' "$REGION"; fi
}

# A private temporary directory, removed on exit. Sets OPS_TMP.
make_private_tmp() {
  OPS_TMP="$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/markmail-ops.XXXXXXXX")"
  chmod 700 "$OPS_TMP"
}

# Reads one JSON string field of a secret's SecretString into stdout... never used for output:
# callers capture it into a variable. Usage: secret_field <secret-id> <key> (exits 1 on failure).
# The SecretString goes from the CLI to python3 through a pipe, never through argv.
secret_field() {
  local id="$1" key="$2" err
  err="$OPS_TMP/get-secret.err"
  if ! aws_cli secretsmanager get-secret-value --secret-id "$id" --query SecretString --output text 2>"$err" >"$OPS_TMP/secret.json"; then
    explain_secret_error "$id" "$err"
  fi
  MARKMAIL_KEY="$key" python3 -c '
import json, os, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit("secret is not JSON")
key = os.environ["MARKMAIL_KEY"]
if not isinstance(doc, dict) or not isinstance(doc.get(key), str) or doc[key] == "":
    sys.exit("secret has no non-empty string key " + json.dumps(key))
sys.stdout.write(doc[key])
' "$OPS_TMP/secret.json" 2>"$err" || { rm -f "$OPS_TMP/secret.json"; die "$id: $(cat "$err")"; }
  rm -f "$OPS_TMP/secret.json"
}

# Turns a get-secret-value failure into one clear line (the CLI's error text holds no secret).
explain_secret_error() {
  local id="$1" err="$2"
  if grep -q "ResourceNotFoundException" "$err"; then
    die "secret $id not found in $(aws_target): deploy its stack first, or check --profile/--region"
  fi
  die "cannot read secret $id in $(aws_target): $(tr '\n' ' ' <"$err")"
}
