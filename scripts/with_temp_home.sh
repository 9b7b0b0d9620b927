#!/usr/bin/env bash
# Run a command with Jupyter's and matplotlib's per-user folders in a throw-away directory,
# so tests and CI never write to $HOME.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rusinnspill-home.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IPYTHONDIR="$tmp/ipython" JUPYTER_RUNTIME_DIR="$tmp/jupyter-runtime" MPLCONFIGDIR="$tmp/matplotlib"
export JUPYTER_CONFIG_DIR="${JUPYTER_CONFIG_DIR:-$tmp/jupyter-config}"
mkdir -p "$IPYTHONDIR" "$JUPYTER_RUNTIME_DIR" "$MPLCONFIGDIR"
"$@"
