#!/usr/bin/env bash
# Every rule in policies/rules/ must be provably able to fail, in both input shapes, and be
# listed in policies.hcl with the enforcement level its METADATA declares:
#   - tests test_<rule>_raw_pass, test_<rule>_raw_fail, test_<rule>_plan_pass, test_<rule>_plan_fail
#     exist in policies/tests/ (opa test then proves they pass);
#   - the test file with the fail fixtures names the rule's id (MM-NNN) from its METADATA;
#   - policies.hcl has `query = "data.markmail.rules.<rule>.deny"` with the same enforcement_level.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail=0
err() { printf 'check-fixtures: %s\n' "$*" >&2; fail=1; }

rules=0
for file in policies/rules/*.rego; do
  rule="$(basename "$file" .rego)"
  rules=$((rules + 1))
  pkg="$(sed -n 's/^package //p' "$file")"
  [ "$pkg" = "markmail.rules.$rule" ] || err "$file: package is '$pkg', expected markmail.rules.$rule"
  id="$(sed -n 's/^#   id: //p' "$file")"
  level="$(sed -n 's/^#   enforcement_level: //p' "$file")"
  [[ "$id" =~ ^MM-[0-9]{3}$ ]] || err "$file: METADATA custom.id missing or malformed ('$id')"
  [[ "$level" =~ ^(advisory|mandatory)$ ]] || err "$file: METADATA custom.enforcement_level must be advisory or mandatory ('$level')"
  grep -q '^#   reason: .' "$file" || err "$file: METADATA custom.reason missing"
  grep -q '^#   controls: \[.' "$file" || err "$file: METADATA custom.controls missing"

  for kind in raw_pass raw_fail plan_pass plan_fail; do
    grep -Eq "^test_${rule}_${kind}([_a-z0-9]*)? if" policies/tests/*.rego || err "$rule: no test_${rule}_${kind} in policies/tests/"
  done
  fail_file="$(grep -El "^test_${rule}_(raw|plan)_fail" policies/tests/*.rego | head -1 || true)"
  if [ -n "$fail_file" ] && ! grep -q "\"$id\"" "$fail_file"; then
    err "$rule: $fail_file never asserts a \"$id\" finding"
  fi

  block="$(awk -v q="data.markmail.rules.$rule.deny" '
    /^policy "/ { body = "" }
    { body = body "\n" $0 }
    /^}/ { if (index(body, "\"" q "\"")) print body }' policies/policies.hcl)"
  if [ -z "$block" ]; then
    err "$rule: not in policies/policies.hcl"
  elif ! grep -q "enforcement_level *= *\"$level\"" <<<"$block"; then
    err "$rule: policies.hcl enforcement_level differs from METADATA ($level)"
  fi
done

ids="$(sed -n 's/^#   id: //p' policies/rules/*.rego | sort)"
dupes="$(uniq -d <<<"$ids")"
[ -z "$dupes" ] || err "duplicate rule ids: $dupes"
listed="$(grep -c '^policy "' policies/policies.hcl)"
[ "$listed" -eq "$rules" ] || err "policies.hcl lists $listed policies for $rules rules"

# The two-policy form (aggregate.rego) must split the rules exactly as their METADATA does.
meta_advisory="$(grep -l '^#   enforcement_level: advisory' policies/rules/*.rego | xargs -n1 basename | sed 's/\.rego$//' | sort)"
agg_advisory="$(sed -n '/^advisory_rules := {/,/^}/p' policies/aggregate.rego | sed -n 's/^[[:space:]]*"\([a-z0-9_]*\)",*$/\1/p' | sort)"
[ "$meta_advisory" = "$agg_advisory" ] || err "policies/aggregate.rego advisory_rules differ from the advisory rules' METADATA: ${meta_advisory//$'\n'/ } vs ${agg_advisory//$'\n'/ }"

# Every exception of lib/exceptions.rego is listed in the README's exception table (rule and control).
while read -r rule control; do
  grep -Eq "^\| $rule \| $control \|" policies/README.md || err "exception $rule ($control) of policies/lib/exceptions.rego is not in the policies/README.md exception table"
done < <(awk -F'"' '/"rule": "MM-/ { rule = $4 } /"control": "/ { print rule, $4 }' policies/lib/exceptions.rego)

[ "$fail" -eq 0 ] || exit 1
echo "check-fixtures: $rules rules, each with raw/plan pass/fail fixtures and a policies.hcl entry"
