#!/usr/bin/env bash
# Install Virtuoso Open Source 7 (server virtuoso-t and client isql-vt) from the Debian archive.
# The package's own service is not used: start.sh runs a private instance under var/virtuoso.
set -euo pipefail
if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
  echo "virtuoso already installed: $(virtuoso-t -? 2>&1 | grep -m1 -i version || true)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq virtuoso-opensource >/dev/null
command -v virtuoso-t isql-vt
