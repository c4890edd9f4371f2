#!/usr/bin/env bash
# Runs the ops-script tests (pytest + moto server + the real AWS CLI) in a venv outside the repo,
# and the tests of the e2e emulator extension (scripts/e2e/moto_ext/tests, see pytest.ini).
# Usage: scripts/tests/run.sh [pytest args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=venv.sh
source "$here/venv.sh"
ops_venv
venv="$OPS_VENV"

# Real servers and tools some tests use: PostgreSQL (the rotation function and the SQL template run
# against a throw-away server), openssl (its TLS certificate) and jq (the guide's pipelines).
# A fresh CI machine (root, Debian) gets them here; elsewhere install them yourself.
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v openssl >/dev/null || missing+=(openssl)
command -v jq >/dev/null || missing+=(jq)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "== apt-get install ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "warning: ${missing[*]} not installed (Debian: apt-get install ${missing[*]}); the tests that need them fail" >&2
  fi
fi

# The venv's aws, moto_server and shellcheck come first; nothing of the caller's AWS setup leaks in.
export PATH="$venv/bin:$PATH"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
