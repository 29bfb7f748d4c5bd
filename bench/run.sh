#!/usr/bin/env bash
# bench/run.sh: runs bench/image-upload.sh, bench/get-media.sh, bench/video-upload.sh, bench/direct-upload.sh and
# bench/resumable-upload.sh
# and ends with their summaries.
# Environment variables of any script pass through (RUNS, WARMUP, ROUNDS, DURATION, BENCH_REV, ...).
# Exit status: non-zero if any benchmark could not run (a missed goal is not a failure).
set -uo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
summaries=$(mktemp -d "${TMPDIR:-/tmp}/mediary-bench-summary.XXXXXX")
trap 'rm -rf -- "$summaries"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# All benchmarks measure the same server: a BENCH_REV such as HEAD is resolved once, here.
if [[ -n ${BENCH_REV:-} ]]; then
    BENCH_REV=$(git -C "$here/.." rev-parse --verify "$BENCH_REV^{commit}") || exit 1
    export BENCH_REV
fi

status=0
for name in image-upload get-media video-upload direct-upload resumable-upload; do
    echo "######## bench/$name.sh" >&2
    if ! BENCH_SUMMARY_FILE="$summaries/$name.txt" "$here/$name.sh"; then
        echo "== $name: FAILED (see its output above)" >"$summaries/$name.txt"
        status=1
    fi
done

echo
echo "================================ Mediary benchmarks: summary ================================"
cat -- "$summaries/image-upload.txt"
echo
cat -- "$summaries/get-media.txt"
echo
cat -- "$summaries/video-upload.txt"
echo
cat -- "$summaries/direct-upload.txt"
echo
cat -- "$summaries/resumable-upload.txt"
exit "$status"
