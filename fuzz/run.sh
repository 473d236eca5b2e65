#!/usr/bin/env bash
# Builds the fuzz targets once, then runs each for a bounded time and prints one summary
# line per target (executions, crashes found).
#
#   fuzz/run.sh SECONDS [TARGET...]        # all targets when none is named
#
# Environment:
#   FUZZ_SANITIZER  address (default) or none. AddressSanitizer needs nightly rustc flags:
#                   on a stable toolchain this script sets RUSTC_BOOTSTRAP=1 for the build.
#                   `none` builds on plain stable (debug assertions stay on either way).
#   FUZZ_NO_BUILD   1: run the binaries already built, without `cargo fuzz build`.
#   FUZZ_ARGS       extra libFuzzer arguments (e.g. "-jobs=2 -workers=2", "-dict=…").
#
# Corpora grow in fuzz/corpus/<target>/ (seed them with fuzz/seed.sh); a failing input is
# saved in fuzz/artifacts/<target>/, and each run's log in fuzz/artifacts/<target>/log-*.txt.
# Exits 1 when any target found a failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if [[ $# -lt 1 || ! "$1" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [TARGET...]" >&2
    exit 2
fi
seconds="$1"
shift
all_targets=(parse roundtrip write_built)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=("${all_targets[@]}")
fi

sanitizer="${FUZZ_SANITIZER:-address}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
bin_dir="$here/target/$triple/release"

if [[ "${FUZZ_NO_BUILD:-0}" != 1 ]]; then
    if [[ "$sanitizer" != none ]]; then
        # -Zsanitizer is a nightly flag; allow it on a stable toolchain.
        export RUSTC_BOOTSTRAP=1
    fi
    start=$SECONDS
    for t in "${targets[@]}"; do
        cargo fuzz build --sanitizer "$sanitizer" --target "$triple" "$t"
    done
    echo "build: $((SECONDS - start)) s (sanitizer: $sanitizer)"
fi

failed=0
summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    before="$(find "artifacts/$t" -type f ! -name 'log-*' | wc -l)"
    log="artifacts/$t/log-$(date +%Y%m%d-%H%M%S).txt"
    start=$SECONDS
    set +e
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of arguments
    "$bin_dir/$t" \
        -artifact_prefix="artifacts/$t/" \
        -max_total_time="$seconds" \
        -rss_limit_mb=4096 \
        -max_len=262144 \
        -print_final_stats=1 \
        ${FUZZ_ARGS:-} \
        "corpus/$t" >"$log" 2>&1
    status=$?
    set -e
    elapsed=$((SECONDS - start))
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s += $1} END {print s + 0}')"
    if [[ "$runs" == 0 ]]; then
        # Killed before the final stats: take the last status line (`#N ...`).
        runs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')"
        runs="${runs:-0}"
    fi
    after="$(find "artifacts/$t" -type f ! -name 'log-*' | wc -l)"
    crashes=$((after - before))
    corpus="$(find "corpus/$t" -type f | wc -l)"
    line="$t: $runs runs in $elapsed s, $crashes crashes, corpus $corpus files, exit $status, log $log"
    if [[ $status -ne 0 || $crashes -ne 0 ]]; then
        failed=1
        line="$line — FAILED (see fuzz/artifacts/$t/ and the log)"
    fi
    summary+=("$line")
    echo "$line"
done

echo
echo "summary:"
printf '  %s\n' "${summary[@]}"
exit "$failed"
