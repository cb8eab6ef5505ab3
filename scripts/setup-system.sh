#!/usr/bin/env bash
# What the test suite needs from the machine, installed or started when it is not there:
#  - the Debian packages of .ci/packages.txt (PostgreSQL server, Chromium, Pango, DejaVu fonts),
#    installed with apt-get, which is updated only when something is missing;
#  - the PostgreSQL server on 127.0.0.1:5432, started when it does not answer.
# Idempotent, and fast when everything is there (no network, no apt). Needs root only when it has
# something to install or start. `make test` runs it first; so does .ci/run (through make test).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg _; do
  case "$pkg" in ''|'#'*) continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < .ci/packages.txt
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: the tests need the Debian packages ${missing[*]}; run scripts/setup-system.sh as root" >&2
    exit 2
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL on 127.0.0.1:5432: the tests that need it fail (never skip) when it is down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  echo "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432 -q || { echo "error: PostgreSQL did not start" >&2; exit 2; }
fi
