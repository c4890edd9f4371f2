"""Tests of moto_ext (run by scripts/tests/run.sh, see scripts/tests/pytest.ini)."""
