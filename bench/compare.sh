#!/usr/bin/env bash
# Times statusrapport against the typst CLI on the same reports (ejected),
# and against matplotlib + typst, plus watch, batch and large-CSV figures;
# writes bench/RESULTS.md. Installs what is missing and says so:
#   the typst CLI 0.15.1 (cargo install typst-cli, a release build: slow),
#   matplotlib (pip).
# Usage: bench/compare.sh   (RUNS=N for the number of runs per case)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --bin statusrapport --examples

if [ -z "${TYPST:-}" ]; then
  if command -v typst >/dev/null 2>&1 && typst --version | grep -q '0\.15\.1'; then
    TYPST=typst
  else
    if [ ! -x bench/.verktyg/bin/typst ]; then
      echo "typst 0.15.1 saknas; installerar typst-cli från crates.io till bench/.verktyg (tar några minuter)"
      cargo install typst-cli --version 0.15.1 --locked --root bench/.verktyg
    fi
    TYPST="$PWD/bench/.verktyg/bin/typst"
  fi
fi
export TYPST
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  echo "matplotlib saknas; installerar från PyPI"
  python3 -m pip install -q matplotlib
fi
exec python3 bench/compare.py
