#!/usr/bin/env bash
# Sets everything up, writes the bundled Riverside demo plan and opens it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
plan=${1:-out/riverside-demo.placeplan}
mkdir -p "$(dirname "$plan")"
[ -f "$plan" ] || .venv/bin/placeplanner demo "$plan"
exec .venv/bin/placeplanner open "$plan"
