#!/usr/bin/env bash
# bench/image-upload.sh: a v2 upload of a 12 MP JPEG, request to 200 response, against
# vipsthumbnail making the same two outputs. See bench/README.md.
#
#   bench/image-upload.sh            # RUNS=21 measured rounds after WARMUP=3
#   RUNS=25 WARMUP=5 bench/image-upload.sh
#
# Each round (order alternates ABC / CBA so position effects cancel):
#   A  server    curl -F file=@photo.jpg POST /api/v2/media, a new upload every time: time_total
#   B  baseline  vipsthumbnail original-box; vipsthumbnail small-box (one after the other)
#   C  floor     the same two vipsthumbnail runs launched concurrently (a & b & wait)
set -euo pipefail
export LC_ALL=C
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-21}
WARMUP=${WARMUP:-3}
ORIGINAL_PIXELS=8294400   # Mastodon's original style: "pixels: 8_294_400" (3840x2160)
SMALL_PIXELS=230400       # Mastodon's small style: "pixels: 230_400" (640x360)

need_tools dotnet curl ffmpeg vips vipsthumbnail vipsheader python3 pgrep sha256sum
bench_init
build_server

# ---------------------------------------------------------------------------------------------
# Input: generated here, reproducibly (ffmpeg test source + seeded noise, frame 0; libvips JPEG
# Q90, all metadata stripped, so there is no EXIF orientation to account for). ~3.2 MB.
# ---------------------------------------------------------------------------------------------
IN="$WORK_DIR/photo-4000x3000.jpg"
log "generating the input image"
ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=4000x3000:rate=1:duration=1,noise=alls=12:allf=u:all_seed=4242,format=rgb24" \
    -frames:v 1 -update 1 "$WORK_DIR/photo.ppm"
vips jpegsave "$WORK_DIR/photo.ppm" "$IN" --Q 90 --strip
rm -f -- "$WORK_DIR/photo.ppm"
IN_W=$(vipsheader -f width "$IN")
IN_H=$(vipsheader -f height "$IN")
[[ ${IN_W}x$IN_H == 4000x3000 ]] || die "input is ${IN_W}x$IN_H, expected 4000x3000"
if vipsheader -f orientation "$IN" >/dev/null 2>&1; then die "input unexpectedly has an orientation tag"; fi
IN_BYTES=$(stat -c %s -- "$IN")
IN_SHA=$(sha256sum -- "$IN" | cut -c1-16)

# Mastodon's box for a pixel budget P: W = round(sqrt(P*w/h)), H = round(sqrt(P*h/w)).
box() { python3 -c 'import math, sys
w, h, p = map(int, sys.argv[1:])
r = lambda x: int(math.floor(x + 0.5))
print("%dx%d" % ((w, h) if w * h <= p else (r(math.sqrt(p * w / h)), r(math.sqrt(p * h / w)))))' "$IN_W" "$IN_H" "$1"; }
ORIGINAL_BOX=$(box $ORIGINAL_PIXELS)   # 3326x2494 for 4000x3000
SMALL_BOX=$(box $SMALL_PIXELS)         # 554x416
log "input $IN_W x $IN_H, $IN_BYTES bytes, sha256 $IN_SHA...; boxes original $ORIGINAL_BOX, small $SMALL_BOX"

OUT="$WORK_DIR/vipsthumbnail"
mkdir -p -- "$OUT"

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

baseline_sequential() { # prints milliseconds
    local t0 t1
    t0=$(now_us)
    vipsthumbnail "$IN" --size "$ORIGINAL_BOX" -o "$OUT/original.jpg"
    vipsthumbnail "$IN" --size "$SMALL_BOX" -o "$OUT/small.jpg"
    t1=$(now_us)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1000 }'
}

baseline_concurrent() { # prints milliseconds
    local t0 t1 a b
    t0=$(now_us)
    vipsthumbnail "$IN" --size "$ORIGINAL_BOX" -o "$OUT/original-c.jpg" & a=$!
    vipsthumbnail "$IN" --size "$SMALL_BOX" -o "$OUT/small-c.jpg" & b=$!
    wait "$a" || die "vipsthumbnail (original) failed"
    wait "$b" || die "vipsthumbnail (small) failed"
    t1=$(now_us)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1000 }'
}

upload() { # prints milliseconds; fails unless 200
    local response="$WORK_DIR/upload.json" result code seconds
    result=$(curl -sS -o "$response" -w '%{http_code} %{time_total}' \
        -H "Authorization: Bearer $SERVER_TOKEN" -F "file=@$IN;type=image/jpeg" "$SERVER_URL/api/v2/media") ||
        die "curl failed"
    read -r code seconds <<<"$result"
    [[ $code == 200 ]] || { cat "$response" >&2; echo >&2; die "upload answered $code"; }
    awk -v s="$seconds" 'BEGIN { printf "%.3f\n", s * 1000 }'
}

start_server upload

# ---------------------------------------------------------------------------------------------
# Warm-up (JIT, helper start-up, page cache), with a check that both sides make the same sizes.
# ---------------------------------------------------------------------------------------------
log "warm-up: $WARMUP rounds"
for ((i = 0; i < WARMUP; i++)); do
    upload >/dev/null
    baseline_sequential >/dev/null
    baseline_concurrent >/dev/null
done
SERVER_SIZES=$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))["meta"]
print("%sx%s %sx%s" % (m["original"]["width"], m["original"]["height"], m["small"]["width"], m["small"]["height"]))' \
    "$WORK_DIR/upload.json")
BASELINE_SIZES="$(vipsheader -f width "$OUT/original.jpg")x$(vipsheader -f height "$OUT/original.jpg") $(vipsheader -f width "$OUT/small.jpg")x$(vipsheader -f height "$OUT/small.jpg")"
[[ $SERVER_SIZES == "$BASELINE_SIZES" ]] ||
    die "server made $SERVER_SIZES but vipsthumbnail made $BASELINE_SIZES: not the same work"
log "both sides produce original+small = $SERVER_SIZES"

# ---------------------------------------------------------------------------------------------
# Measured rounds, interleaved.
# ---------------------------------------------------------------------------------------------
SAMPLES="$WORK_DIR/samples.csv"
echo "round,server_ms,sequential_ms,concurrent_ms" >"$SAMPLES"
log "measuring: $RUNS rounds"
for ((i = 1; i <= RUNS; i++)); do
    if ((i % 2)); then
        s=$(upload); b=$(baseline_sequential); c=$(baseline_concurrent)
    else
        c=$(baseline_concurrent); b=$(baseline_sequential); s=$(upload)
    fi
    echo "$i,$s,$b,$c" >>"$SAMPLES"
    log "round $i/$RUNS: server $s ms, vipsthumbnail sequential $b ms, concurrent $c ms"
done

# Peak RSS, read while the processes are still alive.
SERVER_HWM=$(vm_hwm_kb "$SERVER_PID")
HELPERS=$(helper_pids "$SERVER_PID")
HELPER_COUNT=0 HELPER_MAX=0 HELPER_SUM=0
for pid in $HELPERS; do
    kb=$(vm_hwm_kb "$pid")
    [[ -n $kb ]] || continue
    HELPER_COUNT=$((HELPER_COUNT + 1)) HELPER_SUM=$((HELPER_SUM + kb))
    ((kb > HELPER_MAX)) && HELPER_MAX=$kb
done
LOG_LINES=$(wc -l <"$SERVER_LOG")
cp -- "$SAMPLES" "$RESULTS_DIR/image-upload-samples-$(date -u +%Y%m%dT%H%M%SZ).csv"

read -r S_MED S_MIN S_MAX _ < <(tail -n +2 "$SAMPLES" | cut -d, -f2 | stats)
read -r B_MED B_MIN B_MAX _ < <(tail -n +2 "$SAMPLES" | cut -d, -f3 | stats)
read -r C_MED C_MIN C_MAX _ < <(tail -n +2 "$SAMPLES" | cut -d, -f4 | stats)
R_SEQ=$(ratio "$S_MED" "$B_MED")
R_CON=$(ratio "$S_MED" "$C_MED")

emit_summary image-upload <<EOF
== image-upload: $(machine_line)
input: ${IN_W}x$IN_H JPEG Q90, $IN_BYTES bytes, no EXIF orientation (sha256 $IN_SHA...); outputs original $ORIGINAL_BOX box -> ${SERVER_SIZES% *}, small $SMALL_BOX box -> ${SERVER_SIZES#* }
$RUNS interleaved rounds after $WARMUP warm-up rounds; medians (min..max), ms
  server    POST /api/v2/media -> 200 (curl time_total)   $(printf '%8.1f' "$S_MED")   ($S_MIN..$S_MAX)
  baseline  vipsthumbnail x2, one after the other         $(printf '%8.1f' "$B_MED")   ($B_MIN..$B_MAX)
  floor     vipsthumbnail x2, concurrent (a & b & wait)   $(printf '%8.1f' "$C_MED")   ($C_MIN..$C_MAX)
  ratio server/baseline  $R_SEQ   (goal <= 0.90: $(verdict "$R_SEQ" '<=' 0.90); stretch <= 0.80: $(verdict "$R_SEQ" '<=' 0.80))
  ratio server/floor     $R_CON
  peak RSS (VmHWM)  server $(mib "$SERVER_HWM") MiB; image helpers: $HELPER_COUNT, max $(mib "$HELPER_MAX") MiB each, sum $(mib "$HELPER_SUM") MiB
  server log lines during the run (Warning level): $LOG_LINES
EOF
