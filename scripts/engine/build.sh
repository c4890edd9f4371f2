#!/usr/bin/env bash
# Prepare an offline Terraform engine + AWS provider for `terraform validate` / `plan`
# on synthesized CDKTF stacks. See scripts/engine/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/engine/build.sh [--force] [--selftest] [--help]

Prepares, in $MARKMAIL_ENGINE_CACHE (default: ~/.cache/markmail-engine):
  * a Terraform-compatible engine: `terraform` >= 1.11 from PATH, else `tofu` >= 1.11
    from PATH, else OpenTofu built from the Go module proxy into $CACHE/bin/tofu;
  * the AWS provider, built from Go source, installed into a filesystem mirror under
    $CACHE/plugins for both registry.terraform.io/hashicorp/aws and
    registry.opentofu.org/hashicorp/aws, as version $AWS_PROVIDER_VERSION;
  * $CACHE/terraformrc (CLI config that serves hashicorp/aws from the mirror only);
  * $CACHE/env.sh  (source it: exports TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE, MARKMAIL_TF).

Idempotent: when the cached provider binary matches the requested module@version, it
prints "cached" and builds nothing.

Options:
  --force      rebuild the provider (and OpenTofu, if it is the engine) even if cached
  --selftest   after preparing, init + validate a tiny stack offline in a temp dir and
               check the provider schema for the features the design relies on
  -h, --help   show this help

Environment:
  MARKMAIL_ENGINE_CACHE        cache directory (default ~/.cache/markmail-engine)
  MARKMAIL_AWS_MODULE          Go module holding the provider source
  MARKMAIL_AWS_MODULE_VERSION  exact (pseudo-)version of that module
  MARKMAIL_AWS_MODULE_SUM      expected go.sum h1: hash of that module zip ("" = ask sumdb)
  MARKMAIL_TOFU_VERSION        OpenTofu module version for the fallback engine
  MARKMAIL_ENGINE              auto (default) or tofu (ignore terraform on PATH)
  MARKMAIL_BUILD_NICE          niceness for the Go builds (default 15)
EOF
}

FORCE=0
SELFTEST=0
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --force) FORCE=1 ;;
    --selftest) SELFTEST=1 ;;
    *) echo "build.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------------------------------
# Pinned versions
# ---------------------------------------------------------------------------------------
# Version the stacks declare (required_providers aws = { source = "aws", version = "6.25.0" })
# and the @cdktf/provider-aws 21.22.1 bindings target.
AWS_PROVIDER_VERSION="6.25.0"
# Where the source comes from. The upstream module (github.com/hashicorp/terraform-provider-aws)
# has no valid Go module versions for its v6 tags, and the Go module proxy reachable here
# refuses every pseudo-version of it that was tried. The closest source the proxy serves is
# Upbound's fork (the provider used by Crossplane), which keeps the upstream module path and
# main package and only adds an `xpprovider` package. The pinned commit is based on upstream
# 6.34.0 (its version/VERSION and CHANGELOG say so): within major version 6 this is a
# superset of the 6.25.0 schema. Override with MARKMAIL_AWS_MODULE{,_VERSION,_SUM} when an
# upstream pseudo-version becomes available.
UPSTREAM_AWS_MODULE="github.com/hashicorp/terraform-provider-aws"
AWS_MODULE="${MARKMAIL_AWS_MODULE:-github.com/upbound/terraform-provider-aws}"
AWS_MODULE_VERSION="${MARKMAIL_AWS_MODULE_VERSION:-v0.0.0-20260305123303-f7691456b787}"
if [[ -z "${MARKMAIL_AWS_MODULE+x}${MARKMAIL_AWS_MODULE_VERSION+x}" ]]; then
  # go.sum hashes of the default pin (the checksum database has no entry for it).
  AWS_MODULE_SUM="${MARKMAIL_AWS_MODULE_SUM-h1:dJlp2eNgY/iVKTPINdguYlHbHc9CtXBZKmQmqYq0REs=}"
  AWS_MODULE_GOMOD_SUM="h1:WOPLTXSK2ZhAuuLIh2EVZ9zWib65hkmw1XLc227hsuQ="
else
  AWS_MODULE_SUM="${MARKMAIL_AWS_MODULE_SUM-}"
  AWS_MODULE_GOMOD_SUM=""
fi
TOFU_MODULE="github.com/opentofu/opentofu"
TOFU_VERSION="${MARKMAIL_TOFU_VERSION:-v1.12.6}"   # >= 1.11: ephemeral resources, write-only attrs
MIN_TERRAFORM="1.11.0"
MIN_TOFU="1.11.0"
NICE="${MARKMAIL_BUILD_NICE:-15}"

CACHE="${MARKMAIL_ENGINE_CACHE:-$HOME/.cache/markmail-engine}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
GOOS_GOARCH="linux_amd64"
if command -v go >/dev/null 2>&1; then GOOS_GOARCH="$(go env GOOS)_$(go env GOARCH)"; fi
PLUGINS="$CACHE/plugins"
PROVIDER_BIN_NAME="terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5"
TF_PROVIDER_DIR="$PLUGINS/registry.terraform.io/hashicorp/aws/$AWS_PROVIDER_VERSION/$GOOS_GOARCH"
TOFU_PROVIDER_DIR="$PLUGINS/registry.opentofu.org/hashicorp/aws/$AWS_PROVIDER_VERSION/$GOOS_GOARCH"
PROVIDER_BIN="$TF_PROVIDER_DIR/$PROVIDER_BIN_NAME"
PROVIDER_STAMP="$CACHE/aws-provider.stamp"
STATS="$CACHE/build-stats.txt"
# Dedicated module cache: keeps the (large) provider dependency tree out of the shared one
# and makes its download size measurable. Writable, so `rm -rf "$CACHE"` works.
export GOMODCACHE="${MARKMAIL_ENGINE_GOMODCACHE:-$CACHE/gomod}"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw"
export CHECKPOINT_DISABLE=1

log() { printf '[engine] %s\n' "$*" >&2; }
die() { printf '[engine] ERROR: %s\n' "$*" >&2; exit 1; }

# version_ge A B  -> true when A >= B (dotted numeric, pre-release suffix ignored)
version_ge() {
  local a="${1%%[-+]*}" b="${2%%[-+]*}"
  [[ "$(printf '%s\n%s\n' "$b" "$a" | sort -V | head -n1)" == "$b" ]]
}

human() { awk -v b="$1" 'BEGIN { split("B KiB MiB GiB TiB", u); i=1; while (b>=1024 && i<5) { b/=1024; i++ } printf "%.1f %s", b, u[i] }'; }
dl_bytes() { if [[ -d "$GOMODCACHE/cache/download" ]]; then du -sb "$GOMODCACHE/cache/download" | cut -f1; else echo 0; fi; }

require_go() {
  command -v go >/dev/null 2>&1 || die "Go toolchain not found on PATH (needed to build from source)"
}

# Repeat the directives of a dependency's go.mod that only take effect in the main module:
# `replace` (single-line and block form; filesystem-path targets are dropped) and `godebug`.
main_module_directives() {
  awk '
    /^[[:space:]]*\/\// { next }
    /^(replace|godebug)[[:space:]]*\($/ { blk=$1; print; next }
    blk != "" && /^[[:space:]]*\)/ { print; blk=""; next }
    blk == "replace" { if ($0 ~ /=>[[:space:]]*\.{0,2}\//) next; print; next }
    blk == "godebug" { print; next }
    /^replace[[:space:]]/ { if ($0 ~ /=>[[:space:]]*\.{0,2}\//) next; print; next }
    /^godebug[[:space:]]/ { print; next }
  ' "$1"
}

# go_build_wrapper NAME MODULE VERSION PACKAGE OUTPUT LDFLAGS [REPLACE_TARGET] [SUM] [GOMOD_SUM]
# Creates $CACHE/build/NAME/go.mod requiring MODULE (or, with REPLACE_TARGET, requiring
# MODULE via `replace MODULE => REPLACE_TARGET VERSION`), repeating the dependency's
# replace/godebug directives, then builds PACKAGE with `go build -trimpath`.
go_build_wrapper() {
  local name="$1" module="$2" version="$3" pkg="$4" out="$5" ldflags="$6"
  local src_module="${7:-$2}" sum="${8:-}" gomod_sum="${9:-}"
  local dir="$CACHE/build/$name"
  rm -rf "$dir"; mkdir -p "$dir"
  local before after t0 t1
  before="$(dl_bytes)"
  t0=$(date +%s)

  local nosumdb="${GONOSUMDB:-}"
  if [[ -n "$sum" ]]; then
    # Pinned hash: the checksum database is not consulted for this module, go.sum is.
    nosumdb="${nosumdb:+$nosumdb,}$src_module"
    echo "$src_module $version $sum" > "$dir/go.sum"
    if [[ -n "$gomod_sum" ]]; then echo "$src_module $version/go.mod $gomod_sum" >> "$dir/go.sum"; fi
  else
    : > "$dir/go.sum"
  fi

  log "$name: resolving $src_module@$version"
  local info gomod goversion
  info="$(cd "$dir" && GONOSUMDB="$nosumdb" go mod download -json "$src_module@$version")" \
    || die "$name: cannot download $src_module@$version: $info"
  if grep -q '"Error"' <<<"$info"; then die "$name: $(grep '"Error"' <<<"$info")"; fi
  gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$info" | head -n1)"
  [[ -f "$gomod" ]] || die "$name: no go.mod for $src_module@$version"
  goversion="$(awk '$1=="go" {print $2; exit}' "$gomod")"

  {
    echo "module markmail.invalid/engine/$name"
    echo
    echo "go ${goversion:-1.24}"
    echo
    if [[ "$src_module" != "$module" ]]; then
      echo "require $module v0.0.0-00010101000000-000000000000"
      echo
      echo "replace $module => $src_module $version"
    else
      echo "require $module $version"
    fi
    echo
    echo "// Repeated from $src_module@$version/go.mod (they only apply in the main module):"
    main_module_directives "$gomod"
  } > "$dir/go.mod"

  log "$name: downloading dependencies (log: $dir/download.log)"
  (cd "$dir" && GONOSUMDB="$nosumdb" go list -mod=mod -deps -f '{{if .Module}}{{.Module.Path}}{{end}}' "$pkg" \
      >/dev/null 2>"$dir/download.log") \
    || { tail -n 20 "$dir/download.log" >&2; die "$name: dependency resolution failed"; }
  t1=$(date +%s)
  after="$(dl_bytes)"
  printf '%s_download_seconds=%s\n%s_download_bytes=%s\n%s_module_cache_download_dir_bytes=%s\n' \
    "$name" $((t1 - t0)) "$name" $((after - before)) "$name" "$after" >> "$STATS.new"

  log "$name: go build (nice -n $NICE) -> $out"
  local timef="$dir/time.txt" timecmd=()
  [[ -x /usr/bin/time ]] && timecmd=(/usr/bin/time -v -o "$timef")
  t0=$(date +%s)
  (cd "$dir" && GONOSUMDB="$nosumdb" nice -n "$NICE" "${timecmd[@]}" \
      go build -mod=mod -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg") \
    || die "$name: go build failed"
  t1=$(date +%s)
  mv -f "$out.tmp" "$out"
  local rss_kb="n/a"
  [[ -f "$timef" ]] && rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timef")"
  printf '%s_build_seconds=%s\n%s_build_peak_rss_kb=%s\n%s_binary_bytes=%s\n' \
    "$name" $((t1 - t0)) "$name" "$rss_kb" "$name" "$(stat -c %s "$out")" >> "$STATS.new"
}

# ---------------------------------------------------------------------------------------
# 1. Engine
# ---------------------------------------------------------------------------------------
ENGINE=""
ENGINE_KIND=""
ENGINE_PREF="${MARKMAIL_ENGINE:-auto}"   # auto | tofu (tofu: skip terraform on PATH)
[[ "$ENGINE_PREF" == auto || "$ENGINE_PREF" == tofu ]] || die "MARKMAIL_ENGINE must be auto or tofu"
# A dangling TF_CLI_CONFIG_FILE only produces warnings; neutralise it for version probes.
probe_version() { TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null \
  | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n1; }

if [[ "$ENGINE_PREF" == auto ]] && command -v terraform >/dev/null 2>&1; then
  v="$(probe_version "$(command -v terraform)")"
  if [[ -n "$v" ]] && version_ge "$v" "$MIN_TERRAFORM"; then
    ENGINE="$(command -v terraform)"; ENGINE_KIND="terraform $v"
  else
    log "terraform on PATH is ${v:-unknown}, need >= $MIN_TERRAFORM; ignoring it"
  fi
fi
if [[ -z "$ENGINE" ]] && command -v tofu >/dev/null 2>&1; then
  v="$(probe_version "$(command -v tofu)")"
  if [[ -n "$v" ]] && version_ge "$v" "$MIN_TOFU"; then
    ENGINE="$(command -v tofu)"; ENGINE_KIND="opentofu $v (PATH)"
  fi
fi
: > "$STATS.new"
if [[ -z "$ENGINE" ]]; then
  TOFU_BIN="$CACHE/bin/tofu"
  TOFU_STAMP="$CACHE/tofu.stamp"
  if [[ $FORCE -eq 0 && -x "$TOFU_BIN" && "$(cat "$TOFU_STAMP" 2>/dev/null)" == "$TOFU_MODULE@$TOFU_VERSION" ]]; then
    log "opentofu $TOFU_VERSION: cached"
  else
    require_go
    mkdir -p "$CACHE/bin"
    go_build_wrapper tofu "$TOFU_MODULE" "$TOFU_VERSION" "$TOFU_MODULE/cmd/tofu" "$TOFU_BIN" \
      "-s -w -X $TOFU_MODULE/version.dev=no"
    echo "$TOFU_MODULE@$TOFU_VERSION" > "$TOFU_STAMP"
  fi
  ENGINE="$TOFU_BIN"; ENGINE_KIND="opentofu $(probe_version "$TOFU_BIN") (built)"
fi
log "engine: $ENGINE_KIND at $ENGINE"

# ---------------------------------------------------------------------------------------
# 2. AWS provider
# ---------------------------------------------------------------------------------------
STAMP_WANT="$(printf 'source=%s@%s\nversion=%s\nplatform=%s\n' \
  "$AWS_MODULE" "$AWS_MODULE_VERSION" "$AWS_PROVIDER_VERSION" "$GOOS_GOARCH")"
if [[ $FORCE -eq 0 && -x "$PROVIDER_BIN" && "$(cat "$PROVIDER_STAMP" 2>/dev/null)" == "$STAMP_WANT" ]]; then
  echo "cached: $PROVIDER_BIN ($AWS_MODULE@$AWS_MODULE_VERSION)"
  [[ -s "$STATS.new" ]] && cat "$STATS.new" >> "$STATS"   # e.g. OpenTofu built just now
else
  require_go
  mkdir -p "$TF_PROVIDER_DIR" "$TOFU_PROVIDER_DIR"
  rm -f "$PROVIDER_STAMP"
  # The provider reports version.ProviderVersion in logs / user agent: say what was built.
  built_as="$AWS_PROVIDER_VERSION"
  if [[ "$AWS_MODULE" != "$UPSTREAM_AWS_MODULE" ]]; then built_as="$AWS_PROVIDER_VERSION-src.${AWS_MODULE_VERSION##*-}"; fi
  go_build_wrapper aws "$UPSTREAM_AWS_MODULE" "$AWS_MODULE_VERSION" "$UPSTREAM_AWS_MODULE" \
    "$PROVIDER_BIN" "-s -w -X $UPSTREAM_AWS_MODULE/version.ProviderVersion=$built_as" \
    "$AWS_MODULE" "$AWS_MODULE_SUM" "$AWS_MODULE_GOMOD_SUM"
  # Same binary for OpenTofu's default registry host (hard link, else copy).
  rm -f "$TOFU_PROVIDER_DIR/$PROVIDER_BIN_NAME"
  ln "$PROVIDER_BIN" "$TOFU_PROVIDER_DIR/$PROVIDER_BIN_NAME" 2>/dev/null \
    || cp "$PROVIDER_BIN" "$TOFU_PROVIDER_DIR/$PROVIDER_BIN_NAME"
  base="$(cat "$GOMODCACHE/$AWS_MODULE@$AWS_MODULE_VERSION/version/VERSION" 2>/dev/null || echo unknown)"
  {
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(go version | awk '{print $3}') $(nproc) cores, nice $NICE"
    echo "aws_source=$AWS_MODULE@$AWS_MODULE_VERSION"
    echo "aws_source_base_version=$base"
    echo "aws_installed_as=$AWS_PROVIDER_VERSION"
    cat "$STATS.new"
  } > "$STATS"
  echo "$STAMP_WANT" > "$PROVIDER_STAMP"
fi
rm -f "$STATS.new"

# ---------------------------------------------------------------------------------------
# 3. CLI config + env
# ---------------------------------------------------------------------------------------
cat > "$CACHE/terraformrc" <<EOF
# Written by scripts/engine/build.sh: hashicorp/aws comes only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$PLUGINS"
    include = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"]
  }
}
EOF
cat > "$CACHE/env.sh" <<EOF
# Written by scripts/engine/build.sh. Usage: . "$CACHE/env.sh"; "\$MARKMAIL_TF" validate
export TF_CLI_CONFIG_FILE="$CACHE/terraformrc"
export CHECKPOINT_DISABLE=1
export MARKMAIL_TF="$ENGINE"
EOF

# ---------------------------------------------------------------------------------------
# 4. Optional self-test (offline init + validate + schema checks)
# ---------------------------------------------------------------------------------------
if [[ $SELFTEST -eq 1 ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cat > "$tmp/main.tf.json" <<EOF
{
  "terraform": { "required_providers": { "aws": { "source": "aws", "version": "$AWS_PROVIDER_VERSION" } } },
  "provider": { "aws": { "region": "ap-northeast-1" } },
  "resource": { "aws_s3_bucket": { "selftest": { "bucket": "markmail-engine-selftest" } } }
}
EOF
  export TF_CLI_CONFIG_FILE="$CACHE/terraformrc"
  "$ENGINE" -chdir="$tmp" init -backend=false -input=false -no-color >"$tmp/init.log" 2>&1 \
    || { cat "$tmp/init.log" >&2; die "selftest: init failed"; }
  "$ENGINE" -chdir="$tmp" validate -no-color >&2 || die "selftest: validate failed"
  "$ENGINE" -chdir="$tmp" providers schema -json > "$tmp/schema.json" || die "selftest: schema failed"
  # shellcheck disable=SC2016 # a JavaScript program: its ${...} are not shell expansions
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const p = Object.values(s.provider_schemas)[0];
    const checks = [
      ["ephemeral aws_secretsmanager_random_password", !!(p.ephemeral_resource_schemas || {}).aws_secretsmanager_random_password],
      ["aws_rds_cluster.master_password_wo", !!p.resource_schemas.aws_rds_cluster.block.attributes.master_password_wo],
      ["aws_secretsmanager_secret_version.secret_string_wo", !!p.resource_schemas.aws_secretsmanager_secret_version.block.attributes.secret_string_wo],
    ];
    for (const [n, ok] of checks) console.error(`[engine] selftest schema: ${n}: ${ok ? "yes" : "NO"}`);
    console.error(`[engine] selftest schema: ${Object.keys(p.resource_schemas).length} resources, ${Object.keys(p.data_source_schemas).length} data sources, ${Object.keys(p.ephemeral_resource_schemas || {}).length} ephemeral resources`);
    process.exit(checks.every(c => c[1]) ? 0 : 1);
  ' "$tmp/schema.json" || die "selftest: schema checks failed"
  log "selftest: ok"
fi

# ---------------------------------------------------------------------------------------
# 5. Summary
# ---------------------------------------------------------------------------------------
if [[ -f "$STATS" ]]; then
  log "build figures ($STATS):"
  while IFS='=' read -r k val; do
    case "$k" in
      *_seconds) log "  $k = ${val}s" ;;
      *_rss_kb) if [[ "$val" =~ ^[0-9]+$ ]]; then log "  $k = $(human $((val * 1024)))"; else log "  $k = $val"; fi ;;
      *_bytes) log "  $k = $(human "$val")" ;;
      \#*|"") ;;
      *) log "  $k = $val" ;;
    esac
  done < "$STATS"
fi
log "provider binary: $PROVIDER_BIN ($(human "$(stat -c %s "$PROVIDER_BIN")"))"
echo "source $CACHE/env.sh"
echo "export TF_CLI_CONFIG_FILE=$CACHE/terraformrc"
echo "$ENGINE"
