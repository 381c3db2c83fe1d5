#!/usr/bin/env bash
# Builds PlacePlanner's installable app for the platform it runs on, checks it, and packs it:
#   Linux    dist/PlacePlanner/ (one folder) and dist/placeplanner-VERSION-linux-ARCH.tar.gz
#            (per-user install.sh: no root)
#   Windows  dist/PlacePlanner/ and dist/PlacePlanner-VERSION-setup.exe (NSIS, per user, /S for silent)
#   macOS    dist/PlacePlanner.app and dist/PlacePlanner-VERSION-macos.zip
# The freshly built app's --self-check must pass, or the build fails.
#
#   bash packaging/build.sh [--dist DIR] [--work DIR] [--no-package]
#
# It needs the build tools: bash scripts/packaging-tools.sh (or pip install -e ".[build]").
# PYTHON names the interpreter (default: the project's .venv). Bash 3.2 safe, for macOS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

dist=$root/dist
work=$root/build/pyinstaller
package=1
while [ $# -gt 0 ]; do
  case $1 in
    --dist) dist=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-package) package=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$dist" "$work"
dist=$(cd "$dist" && pwd)
work=$(cd "$work" && pwd)

case $(uname -s) in
  Linux) platform=linux ;;
  Darwin) platform=macos ;;
  MINGW*|MSYS*|CYGWIN*) platform=windows ;;
  *) echo "build.sh: no recipe for $(uname -s)" >&2; exit 1 ;;
esac
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=.venv/Scripts/python.exe; fi
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "build.sh: PyInstaller is missing; run: bash scripts/packaging-tools.sh" >&2
  exit 1
fi
version=$("$PYTHON" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")

echo "== PyInstaller: PlacePlanner $version for $platform"
started=$(date +%s)
# The spec renders the icon with Qt; no display is needed for that.
QT_QPA_PLATFORM=offscreen "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work" packaging/placeplanner.spec
case $platform in
  linux) app=$dist/PlacePlanner/placeplanner ;;
  windows) app=$dist/PlacePlanner/PlacePlanner.exe ;;
  macos) app=$dist/PlacePlanner.app/Contents/MacOS/PlacePlanner ;;
esac
echo "Built $app in $(( $(date +%s) - started )) s"

echo "== self-check of the built app"
"$app" --self-check

[ "$package" -eq 1 ] || exit 0
echo "== package"
case $platform in
  linux)
    arch=$(uname -m)
    name=placeplanner-$version-linux-$arch
    # One archive with one top folder, straight from where the files are (no staging copy).
    tar -czf "$dist/$name.tar.gz" --owner=0 --group=0 --transform "s,^,$name/," \
      -C "$dist" PlacePlanner \
      -C "$root/packaging/linux" install.sh placeplanner.desktop placeplanner-mime.xml \
      -C "$root/packaging/icons" placeplanner.svg
    out=$dist/$name.tar.gz ;;
  windows)
    command -v makensis >/dev/null 2>&1 || { echo "build.sh: makensis (NSIS) is not on PATH" >&2; exit 1; }
    out=$dist/PlacePlanner-$version-setup.exe
    MSYS_NO_PATHCONV=1 makensis -V2 "-DVERSION=$version" "-DBUNDLE=$(cygpath -w "$dist/PlacePlanner")" \
      "-DOUTFILE=$(cygpath -w "$out")" "$(cygpath -w packaging/windows/placeplanner.nsi)" ;;
  macos)
    out=$dist/PlacePlanner-$version-macos.zip
    rm -f "$out"
    ditto -c -k --keepParent "$dist/PlacePlanner.app" "$out" ;;
esac
echo "Packed $out ($(du -sh "$out" | cut -f1))"
