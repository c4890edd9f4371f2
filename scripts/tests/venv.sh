# shellcheck shell=bash
# The Python venv of the ops tests and the e2e deploy (moto server, AWS CLI, pytest), outside
# the repository: created or rebuilt when scripts/tests/requirements.txt changes.
# Usage: source scripts/tests/venv.sh; ops_venv   -> sets OPS_VENV (path), creates it if needed
ops_venv() {
  local here req stamp want python
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  req="$here/requirements.txt"
  OPS_VENV="${MARKMAIL_OPS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/markmail-ci/ops-venv}"
  python="${PYTHON:-python3}"
  stamp="$OPS_VENV/.requirements.sha256"
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [[ ! -x "$OPS_VENV/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    echo "== creating $OPS_VENV" >&2
    rm -rf "$OPS_VENV"
    "$python" -m venv "$OPS_VENV"
    "$OPS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$OPS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    echo "$want" >"$stamp"
  fi
  export OPS_VENV
}
