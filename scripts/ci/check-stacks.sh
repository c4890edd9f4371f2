#!/usr/bin/env bash
# Checks that a cdktf.out holds exactly the expected markmail-<env>-<layer> stacks.
set -euo pipefail
out="${1:?usage: check-stacks.sh <cdktf.out> <expected count>}"
expected="${2:?usage: check-stacks.sh <cdktf.out> <expected count>}"
layers="network database secrets alb ecs-cluster ecs monitoring pipeline"
[ "$expected" -eq 27 ] && layers="$layers bastion"
missing=0
for env in dev staging prod; do
  for layer in $layers; do
    f="$out/stacks/markmail-$env-$layer/cdk.tf.json"
    [ -s "$f" ] || { echo "missing: $f"; missing=$((missing + 1)); }
  done
done
count=$(find "$out/stacks" -mindepth 1 -maxdepth 1 -type d | wc -l)
echo "stacks: $count (expected $expected), missing: $missing"
[ "$missing" -eq 0 ] && [ "$count" -eq "$expected" ]
