#!/usr/bin/env bash
# Creates .venv and installs PlacePlanner with its test tools. Idempotent and quick
# when nothing changed: it reinstalls only when pyproject.toml does.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "PlacePlanner needs Python 3.11 or newer (found: $("$python" --version 2>&1))." >&2
  exit 1
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv

stamp=.venv/.setup-stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
  echo "$want" > "$stamp"
fi

# The board paper's system libraries (Pango for WeasyPrint) and the tests' PDF tools.
bash scripts/pdf-tools.sh
