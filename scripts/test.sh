#!/usr/bin/env bash
# Sets everything up and runs every check: lint, types, the Qt boundary, and the whole test suite.
# pytest's exit code 5 (no tests collected) fails this script like any other failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
bash scripts/packaging-tools.sh

export QT_QPA_PLATFORM=offscreen
export PLACEPLANNER_HOME="${PLACEPLANNER_HOME:-$(mktemp -d)}"

echo "== ruff"; .venv/bin/ruff check src tests benchmarks
echo "== mypy"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports --no-cache
# One test file per worker keeps each file's module fixtures (a built bundle, a browser) built once.
echo "== pytest"; .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
