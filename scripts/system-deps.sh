#!/usr/bin/env bash
# What the suite needs from the system beyond Python: Chromium (the explorer page's
# end-to-end test) and npm (the page's graph library). Installed from Debian's packages
# when missing and we may (root with apt-get); otherwise stop at once naming the command.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  exit 0
fi
echo "error: the test suite needs ${missing[*]}; install them with:" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
exit 1
