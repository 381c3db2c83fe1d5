#!/usr/bin/env bash
# Makes sure the system libraries the board paper needs are there, from Debian only:
#   - Pango (with its FreeType backend), which WeasyPrint lays text out with;
#   - DejaVu Sans, the paper's font (bundled nowhere else; no network fonts);
#   - poppler-utils (pdftotext, pdftoppm), with which the tests read and render the paper.
# Idempotent and quick when all is there. As root with apt-get it installs what is missing;
# otherwise it says what to do and fails.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the board paper..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  exit 0
fi
echo "The board paper needs Debian's ${missing[*]}, and they are not installed." >&2
echo "Install them with: sudo apt-get install ${missing[*]}   then run this again." >&2
exit 1
