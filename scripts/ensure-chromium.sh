#!/usr/bin/env bash
# The HTML report is checked in headless Chromium. Install Debian's chromium when it is
# missing and we are root (CI, this machine); elsewhere the browser test skips (or, with
# CI=true, fails).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium (for the HTML report test)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
else
  echo "ensure-chromium: no chromium and not root; the browser test will skip" >&2
fi
