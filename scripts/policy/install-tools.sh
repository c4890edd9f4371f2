#!/usr/bin/env bash
# Installs the policy-gate tools at pinned versions, idempotently:
#   opa      — `go install` from the Go module proxy into the Go bin dir
#   conftest — same (optional: a build failure only warns)
#   checkov  — from PyPI into a venv outside the repository
# Prints `export` lines for the tool paths on stdout (eval-able); progress goes to stderr.
# Usage: eval "$(bash scripts/policy/install-tools.sh)"
set -euo pipefail

OPA_VERSION="${OPA_VERSION:-v1.22.4}"
CONFTEST_VERSION="${CONFTEST_VERSION:-v0.71.1}"
CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
INSTALL_CONFTEST="${INSTALL_CONFTEST:-true}"

log() { printf '[install-tools] %s\n' "$*" >&2; }

command -v go >/dev/null || { log "go not found on PATH: install Go >= 1.26 first"; exit 1; }
GOBIN_DIR="$(go env GOBIN)"
[ -n "$GOBIN_DIR" ] || GOBIN_DIR="$(go env GOPATH)/bin"
mkdir -p "$GOBIN_DIR"

# go install <module>@<version> unless the binary was already built from that module version
# (`go version -m` reads the build info; `conftest --version` only says "dev").
go_tool() {
  local bin="$1" module="$2" version="$3"
  if [ -x "$GOBIN_DIR/$bin" ] && go version -m "$GOBIN_DIR/$bin" 2>/dev/null | awk '$1 == "mod" { print $2, $3 }' | grep -qx "$module $version"; then
    log "$bin $version already in $GOBIN_DIR"
    return 0
  fi
  log "go install $module@$version (first build takes a few minutes)"
  GOBIN="$GOBIN_DIR" GOFLAGS="${GOFLAGS:-} -buildvcs=false" CGO_ENABLED=0 go install "$module@$version" >&2
}

go_tool opa github.com/open-policy-agent/opa "$OPA_VERSION"
if [ "$INSTALL_CONFTEST" = "true" ]; then
  go_tool conftest github.com/open-policy-agent/conftest "$CONFTEST_VERSION" ||
    log "warning: conftest $CONFTEST_VERSION did not build; the conftest demonstration will be skipped"
fi

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/markmail-ci"
VENV="$CACHE_DIR/checkov-venv"
if [ -x "$VENV/bin/checkov" ] && [ "$("$VENV/bin/checkov" --version 2>/dev/null)" = "$CHECKOV_VERSION" ]; then
  log "checkov $CHECKOV_VERSION already in $VENV"
else
  log "pip install checkov==$CHECKOV_VERSION into $VENV"
  mkdir -p "$CACHE_DIR"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2
fi

echo "export OPA_BIN='$GOBIN_DIR/opa'"
if [ -x "$GOBIN_DIR/conftest" ]; then echo "export CONFTEST_BIN='$GOBIN_DIR/conftest'"; fi
echo "export CHECKOV_BIN='$VENV/bin/checkov'"
