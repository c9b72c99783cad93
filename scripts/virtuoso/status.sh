#!/usr/bin/env bash
# Exit 0 and print the pid when the private Virtuoso instance runs, exit 1 otherwise.
set -euo pipefail
source "$(dirname "$0")/common.sh"
running_pid || { echo "not running"; exit 1; }
