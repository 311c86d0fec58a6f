#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 60 s each):
#   scripts/fuzz.sh [SEKUNDER] [MÅL ...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The machine has only the
# stable toolchain; RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the unstable
# sanitizer flags it needs. Each target has a dictionary of the pieces its
# input is made of (fuzz/ordlistor/<mål>.dict: keys, month forms, number
# forms, invisible characters), so the fuzzer reaches past the first parse
# error. Inputs that make a target fail are copied to
# fuzz/regressions/<mål>/ so that `cargo test` replays them from then on.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(csv kommentar formel projekt)
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "regressions/$target"
  echo "=== $target: $seconds s"
  status=0
  cargo fuzz run --sanitizer address "$target" "corpus/$target" "seeds/$target" -- \
    -dict="ordlistor/$target.dict" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 || status=$?
  for found in artifacts/"$target"/*; do
    [ -e "$found" ] && cp "$found" "regressions/$target/" && echo "fel hittat: $found (kopierat till regressions/$target/)"
  done
  [ "$status" -eq 0 ] || exit "$status"
done
