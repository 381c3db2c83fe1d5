#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the participant page's browser tests
# (tests/meeting/test_browser.py). Playwright drives it; we never download a browser of our own.
# As root with apt-get it installs the chromium package; otherwise it says what to do and fails.
set -euo pipefail

chromium=/usr/bin/chromium
if [ -x "$chromium" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q chromium; then
    apt-get update -q
    apt-get install -y -q chromium
  fi
fi

if [ ! -x "$chromium" ]; then
  echo "The participant page's browser tests need Chromium at $chromium, and it is not there." >&2
  echo "Install it with: sudo apt-get install chromium   (Debian or Ubuntu), then run this again." >&2
  exit 1
fi
