#!/usr/bin/env bash
# bench/noisy-neighbour.sh: one account's uploads while another account sends the worst files it
# may, at its rate limit. See bench/README.md.
#
#   bench/noisy-neighbour.sh         # IMAGES=20 image uploads of the victim in each phase
#
# The server runs with its default limits, except the upload rate limit per account and window,
# set to the victim's own 2 x (IMAGES + 1) uploads (42, more than the default 30): the noisy
# account may send that many files that count.
# Phase 1, the victim alone: IMAGES uploads of a 600x400 PNG one after the other, then a 2 s
# WebM (time to its 202, then to GET 200). Phase 2, the same once the noisy account has spent its
# rate limit (its jobs queued), while it goes on sending, from 4 threads: a 5760x5760 progressive JPEG with 15,000 empty scans and one with 100 (the bound),
# an animation of 8,000 one-pixel frames on a 960x960 screen and one of 540 (just under the
# bound). Goals (issue 12): the victim's image p95 under 2 s, the WebM's 202 under 2 s and its
# 200 under 30 s, while loaded.
set -euo pipefail
export LC_ALL=C
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

IMAGES=${IMAGES:-20}

need_tools dotnet curl ffmpeg vips python3
bench_init
build_server

FILES="$WORK_DIR/files"
mkdir -p -- "$FILES"
log "generating the files"
vips black "$WORK_DIR/black.v" 5760 5760
vips linear "$WORK_DIR/black.v" "$WORK_DIR/grey.v" 1 128 --uchar
vips copy "$WORK_DIR/grey.v" "$WORK_DIR/progressive.jpg[interlace,Q=75]"
base_scans=$(python3 "$BENCH_DIR/hostile.py" jpeg-scan-count "$WORK_DIR/progressive.jpg")
python3 "$BENCH_DIR/hostile.py" jpeg-scans "$WORK_DIR/progressive.jpg" "$FILES/noisy-jpeg-15000-scans.jpg" 15000
python3 "$BENCH_DIR/hostile.py" jpeg-scans "$WORK_DIR/progressive.jpg" "$FILES/noisy-jpeg-100-scans.jpg" $((100 - base_scans))
python3 "$BENCH_DIR/hostile.py" gif-frames 960 960 8000 "$FILES/noisy-gif-8000-frames.gif"
python3 "$BENCH_DIR/hostile.py" gif-frames 960 960 540 "$FILES/noisy-gif-540-frames.gif"
ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=600x400:rate=1:duration=1" -frames:v 1 "$FILES/victim.png"
ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=30:duration=2" \
    -f lavfi -i "sine=frequency=440:duration=2" -c:v libvpx-vp9 -deadline realtime -b:v 500k -c:a libopus -shortest "$FILES/victim.webm"

BENCH_UPLOAD_LIMIT=$((2 * (IMAGES + 1))) start_server noisy
data="$WORK_DIR/noisy-data"
dotnet "$MEDIARY_DLL" accounts create noisy --data "$data" >/dev/null
NOISY_TOKEN=$(dotnet "$MEDIARY_DLL" tokens create --account noisy --scopes "read write" --data "$data")

log "victim alone, then beside the noisy account ($IMAGES images and a WebM each)"
python3 "$BENCH_DIR/noisy-neighbour.py" "$SERVER_URL" "$SERVER_TOKEN" "$NOISY_TOKEN" "$FILES" "$IMAGES" >"$WORK_DIR/result.txt"

value() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$WORK_DIR/result.txt"; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
p95_idle=$(value image_p95_ms 2) p95_loaded=$(value image_p95_ms 3)
accepted_idle=$(value webm_202_ms 2) accepted_loaded=$(value webm_202_ms 3)
processed_idle=$(value webm_200_ms 2) processed_loaded=$(value webm_200_ms 3)

emit_summary noisy-neighbour <<SUMMARY
noisy-neighbour: $(machine_line)
  victim's 600x400 PNG, p95 of $IMAGES  alone $(seconds "$p95_idle") s, loaded $(seconds "$p95_loaded") s (median $(seconds "$(value image_median_ms 2)") / $(seconds "$(value image_median_ms 3)") s; not 200: $(value image_failures 2) / $(value image_failures 3)); ratio $(ratio "$p95_loaded" "$p95_idle"); goal < 2 s: $(verdict "$p95_loaded" "<=" 2000)
  victim's 2 s WebM to 202            alone $(seconds "$accepted_idle") s, loaded $(seconds "$accepted_loaded") s; goal < 2 s: $(verdict "$accepted_loaded" "<=" 2000)
  victim's 2 s WebM to 200            alone $(seconds "$processed_idle") s, loaded $(seconds "$processed_loaded") s; goal < 30 s: $(verdict "$processed_loaded" "<=" 30000)
  noisy account's answers (file, status, count):
$(awk '$1 == "noisy" { printf "    %s %s x%s\n", $2, $3, $4 }' "$WORK_DIR/result.txt")
SUMMARY
