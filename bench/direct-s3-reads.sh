#!/usr/bin/env bash
# bench/direct-s3-reads.sh: how many bytes Mediary reads back from an S3 bucket to process one
# video uploaded through the direct API, as a ratio to the file's size (goal <= 1.05: the upload
# fetched once). See bench/direct-s3-reads.md.
#
#   bench/direct-s3-reads.sh              # RUNS=3 fresh uploads of one generated 30 s clip
#   RUNS=5 PIX_FMT=yuv444p bench/direct-s3-reads.sh   # 4:4:4 is not passthrough: the transcode path
#
# Layout, all on loopback:
#   client (curl) --presigned PUT-----------------------------------------> s3rver   (not counted)
#   Mediary --Storage:S3:ServiceUrl, PublicBaseUrl--> bench/count-proxy.py --> s3rver   (counted)
# Storage:S3:UploadServiceUrl names s3rver itself, so the client's presigned PUT bypasses the
# proxy. PublicBaseUrl goes through it: the bench never fetches media URLs, so anything read
# there would be Mediary fetching its own objects by URL (ffmpeg reading a URL, say) and must count.
set -euo pipefail
export LC_ALL=C
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
DURATION=${DURATION:-30}          # seconds of video
BITRATE=${BITRATE:-8M}            # about 1 MB per second at 8M
PIX_FMT=${PIX_FMT:-yuv420p}       # yuv420p: passthrough-eligible MP4; yuv444p: transcoded
READY_TIMEOUT=${READY_TIMEOUT:-600}
GOAL=1.05
BUCKET=bench-media
S3RVER_JS="$REPO_DIR/tests/e2e/node_modules/s3rver/bin/s3rver.js"

# Polling GET /v1/media/:id for a whole transcode would run into the per-key limit of 60 a minute.
export Direct__RequestsPerMinute=0 Direct__RequestsPerHour=0 Direct__RequestsPerDay=0

need_tools dotnet curl python3 node ffmpeg ffprobe pgrep
[[ -f $S3RVER_JS ]] || die "no s3rver in tests/e2e/node_modules: (cd tests/e2e && npm ci), or run scripts/test.sh once"
bench_init
build_server

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

json_field() { # FILE DOTTED.PATH: one value of a JSON file ("" when absent or null)
    python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)' "$1" "$2"
}

# ---------------------------------------------------------------------------------------------
# Input: a reproducible clip from ffmpeg's test sources, generated once; every run uploads it.
# ---------------------------------------------------------------------------------------------
CLIP="$WORK_DIR/clip.mp4"
log "generating a ${DURATION} s 1280x720 clip (H.264 $PIX_FMT at $BITRATE + AAC)"
ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 \
    -t "$DURATION" -c:v libx264 -preset veryfast -b:v "$BITRATE" -pix_fmt "$PIX_FMT" -c:a aac -movflags +faststart \
    "$CLIP" || die "ffmpeg could not generate the clip"
CLIP_BYTES=$(stat -c %s -- "$CLIP")
CLIP_SHA=$(sha256sum -- "$CLIP" | cut -c1-16)
log "clip: $CLIP_BYTES bytes ($(mb "$CLIP_BYTES") MB)"

# ---------------------------------------------------------------------------------------------
# s3rver, the counting proxy in front of it, and a bucket (created directly on s3rver, so the
# proxy sees only Mediary's traffic).
# ---------------------------------------------------------------------------------------------
S3_DIR="$WORK_DIR/s3"
mkdir -p -- "$S3_DIR"
if ! S3_URL=$("$REPO_DIR/scripts/s3-for-tests.sh" start "$S3_DIR"); then
    [[ -f $S3_DIR/pid ]] && _PIDS_TO_KILL+=("$(<"$S3_DIR/pid")")
    die "s3rver did not start (log: $S3_DIR/s3rver.log)"
fi
_PIDS_TO_KILL+=("$(<"$S3_DIR/pid")")
log "s3rver pid $(<"$S3_DIR/pid") on $S3_URL"
code=$(curl -sS -o "$WORK_DIR/bucket.out" -w '%{http_code}' -X PUT "$S3_URL/$BUCKET") || die "could not reach s3rver"
[[ $code == 200 ]] || { cat "$WORK_DIR/bucket.out" >&2; die "creating bucket $BUCKET answered $code"; }

PROXY_PORT=$(free_port)
CONTROL_PORT=$(free_port)
[[ $PROXY_PORT != "$CONTROL_PORT" ]] || CONTROL_PORT=$(free_port)
CONTROL_URL="http://127.0.0.1:$CONTROL_PORT/counters"
REQUEST_LOG="$WORK_DIR/proxy-requests.log"
: >"$REQUEST_LOG"
python3 "$BENCH_DIR/count-proxy.py" "$PROXY_PORT" "${S3_URL#http://}" "$CONTROL_PORT" "$REQUEST_LOG" \
    >"$WORK_DIR/proxy.out" 2>&1 &
PROXY_PID=$!
_PIDS_TO_KILL+=("$PROXY_PID")
wait_http "$CONTROL_URL" "$PROXY_PID" 20 || { cat "$WORK_DIR/proxy.out" >&2; die "the counting proxy did not come up"; }
log "counting proxy pid $PROXY_PID on 127.0.0.1:$PROXY_PORT -> $S3_URL (counters on $CONTROL_URL)"

# Exported rather than passed, so start_server's CLI calls (accounts, tokens) see the same storage.
export Storage__Provider=S3 \
    Storage__S3__ServiceUrl="http://127.0.0.1:$PROXY_PORT" \
    Storage__S3__UploadServiceUrl="$S3_URL" \
    Storage__S3__PublicBaseUrl="http://127.0.0.1:$PROXY_PORT/$BUCKET" \
    Storage__S3__Bucket="$BUCKET" \
    Storage__S3__AccessKey=S3RVER Storage__S3__SecretKey=S3RVER
start_server s3reads
SERVER_DATA="$WORK_DIR/s3reads-data"
API_KEY=$(dotnet "$MEDIARY_DLL" keys create --account bench --data "$SERVER_DATA") || die "keys create failed"
[[ -n $API_KEY ]] || die "keys create printed no key"

# ---------------------------------------------------------------------------------------------
# The window: the counters are snapshotted once the bucket traffic has settled (nothing in flight
# and nothing on the wire for a second), before and after an upload, and diffed; so traffic of
# the start-up (the storage check) or of the previous run's DELETE cannot leak into a run.
# ---------------------------------------------------------------------------------------------
settle() { # OUT_JSON: waits up to 30 s for the proxy to be idle, then writes its counters
    local i
    for ((i = 0; i < 300; i++)); do
        curl -sf -o "$1" "$CONTROL_URL" || die "the counting proxy stopped answering"
        python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["in_flight"] <= 0 and d["idle_seconds"] >= 1 else 1)' "$1" &&
            return 0
        sleep 0.1
    done
    log "warning: the bucket traffic did not settle within 30 s; counting what there is"
}

api() { # METHOD PATH OUT [JSON]: a /v1 call with the key; prints the HTTP status
    local args=(-sS -o "$3" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $API_KEY")
    [[ $# -lt 4 ]] || args+=(-H 'Content-Type: application/json' -d "$4")
    curl "${args[@]}" "$SERVER_URL$2" || die "$1 $2 failed"
}

# one_upload N: the whole direct flow for one fresh media, counted; appends a CSV line to $SAMPLES.
one_upload() {
    local n=$1 code id url status t0 t1 lines_before
    settle "$WORK_DIR/before.json"
    lines_before=$(wc -l <"$REQUEST_LOG")

    code=$(api POST /v1/media/upload "$WORK_DIR/declare.json" \
        "{\"filename\":\"clip.mp4\",\"content_type\":\"video/mp4\",\"size\":$CLIP_BYTES}")
    [[ $code == 200 ]] || { cat "$WORK_DIR/declare.json" >&2; echo >&2; die "POST /v1/media/upload answered $code"; }
    id=$(json_field "$WORK_DIR/declare.json" data.media_id)
    url=$(json_field "$WORK_DIR/declare.json" data.upload_url)
    # The PUT must reach s3rver directly: if it went through the proxy it would not be counted as
    # a read, but it would say UploadServiceUrl is not honoured.
    [[ $url == "$S3_URL/"* ]] || die "upload_url $url is not on s3rver ($S3_URL)"

    code=$(curl -sS -o "$WORK_DIR/put.out" -w '%{http_code}' -X PUT -H 'Content-Type: video/mp4' \
        --data-binary "@$CLIP" "$url") || die "PUT upload_url failed"
    [[ $code == 200 ]] || { head -c 500 "$WORK_DIR/put.out" >&2; echo >&2; die "PUT upload_url answered $code"; }

    t0=$EPOCHREALTIME
    code=$(api POST "/v1/media/$id/complete" "$WORK_DIR/complete.json")
    [[ $code == 200 || $code == 202 ]] || { cat "$WORK_DIR/complete.json" >&2; echo >&2; die "complete answered $code"; }
    while :; do
        code=$(api GET "/v1/media/$id" "$WORK_DIR/media.json")
        [[ $code == 200 ]] || { cat "$WORK_DIR/media.json" >&2; echo >&2; die "GET /v1/media/$id answered $code"; }
        status=$(json_field "$WORK_DIR/media.json" data.status)
        case $status in
            ready) break ;;
            failed) die "media $id failed: $(json_field "$WORK_DIR/media.json" data.next_step)" ;;
        esac
        awk -v t0="$t0" -v now="$EPOCHREALTIME" -v lim="$READY_TIMEOUT" 'BEGIN { exit !(now - t0 > lim) }' &&
            die "media $id not ready after $READY_TIMEOUT s (status $status)"
        sleep 0.25
    done
    t1=$EPOCHREALTIME

    settle "$WORK_DIR/after.json"
    tail -n +$((lines_before + 1)) "$REQUEST_LOG" >"$WORK_DIR/window-$n.log"
    { echo "# run $n, media $id"; cat "$WORK_DIR/window-$n.log"; } >>"$WORK_DIR/windows.log"
    python3 - "$WORK_DIR/before.json" "$WORK_DIR/after.json" "$WORK_DIR/window-$n.log" "$CLIP_BYTES" "$BUCKET" \
        "$n" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" >>"$SAMPLES" <<'PY'
import json, sys
from collections import defaultdict
before, after = (json.load(open(p)) for p in sys.argv[1:3])
log_path, size, bucket, run, seconds = sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
def diff(name, method=None):
    a, b = after[name], before[name]
    return a.get(method, 0) - b.get(method, 0) if method else a - b
# Object bytes by the key's first segment (direct_uploads/, pending/, media_attachments/...).
by_prefix, gets = defaultdict(int), defaultdict(int)
for line in open(log_path):
    _, method, path, _status, body = line.split()
    key = path.lstrip("/").split("/", 1)
    if method == "GET" and len(key) == 2 and key[0] == bucket:
        prefix = key[1].split("/", 1)[0] + "/"
        by_prefix[prefix] += int(body)
        gets[prefix] += 1
requests = {m: after["requests"].get(m, 0) - before["requests"].get(m, 0) for m in after["requests"]}
print(",".join(str(x) for x in [
    run, size, diff("get_body_bytes"), diff("wire_down"), diff("request_body_bytes", "PUT"), seconds,
    " ".join(f"{p}={by_prefix[p]}/{gets[p]}" for p in sorted(by_prefix)) or "-",
    " ".join(f"{m}={c}" for m, c in sorted(requests.items()) if c) or "-",
]))
PY

    # Deleted after the window, so the next run starts from an empty bucket, and its DELETEs are
    # not counted (settle() waits them out).
    code=$(api DELETE "/v1/media/$id" "$WORK_DIR/delete.json")
    [[ $code == 200 ]] || { cat "$WORK_DIR/delete.json" >&2; echo >&2; die "DELETE /v1/media/$id answered $code"; }
}

run_line() { # CSV line of $SAMPLES: the human-readable line for one run
    local run size get wire put secs prefixes reqs parts="" p rest
    IFS=, read -r run size get wire put secs prefixes reqs <<<"$1"
    for p in $prefixes; do   # PREFIX=BYTES/GETS
        [[ $p == - ]] && break
        rest=${p#*=}
        parts+="${parts:+, }${p%%=*} $(mb "${rest%/*}") MB in ${rest#*/} GET(s)"
    done
    printf '  run %s: read %s MB (GET bodies; %s MB on the wire) for %s MB: ratio %s; by key: %s; wrote %s MB (PUT bodies); ready %s s after complete; requests: %s\n' \
        "$run" "$(mb "$get")" "$(mb "$wire")" "$(mb "$size")" "$(ratio "$get" "$size")" "${parts:-none}" \
        "$(mb "$put")" "$secs" "$reqs"
}

SAMPLES="$WORK_DIR/samples.csv"
: >"$SAMPLES"
for ((i = 1; i <= RUNS; i++)); do
    log "run $i/$RUNS: declare, PUT to s3rver, complete, poll until ready"
    one_upload "$i"
    log "$(run_line "$(tail -n 1 "$SAMPLES")" | sed 's/^ *//')"
done
stamp=$(date -u +%Y%m%dT%H%M%SZ)
{ echo "run,size,get_body_bytes,wire_down_bytes,put_body_bytes,ready_seconds,get_bytes_by_prefix,requests"; cat "$SAMPLES"; } \
    >"$RESULTS_DIR/direct-s3-reads-samples-$stamp.csv"
cp -- "$WORK_DIR/windows.log" "$RESULTS_DIR/direct-s3-reads-requests-$stamp.log"

# ---------------------------------------------------------------------------------------------
# Summary: the ratio is GET body bytes / file size; the median over the runs is the figure.
# ---------------------------------------------------------------------------------------------
summary() {
    local med min max r line
    echo "== direct-s3-reads: $(machine_line)"
    echo "input: ${DURATION} s 1280x720 30 fps testsrc2, H.264 $PIX_FMT at $BITRATE + AAC, MP4 faststart, $CLIP_BYTES bytes = $(mb "$CLIP_BYTES") MB (MB = 10^6 bytes; sha256 $CLIP_SHA...)"
    echo "bucket: s3rver $(node -p 'require(process.argv[1]).version' "$REPO_DIR/tests/e2e/node_modules/s3rver/package.json") on loopback; Mediary's ServiceUrl and PublicBaseUrl through bench/count-proxy.py, the presigned PUT straight to s3rver"
    echo "$RUNS fresh uploads (declare, PUT, complete, poll every 0.25 s until ready, DELETE); read = GET response bodies Mediary received from the declaration until its bucket traffic settled after ready"
    while IFS= read -r line; do run_line "$line"; done <"$SAMPLES"
    read -r med min max _ < <(awk -F, '{ printf "%.4f\n", $3 / $2 }' "$SAMPLES" | python3 -c '
import statistics, sys
xs = [float(l) for l in sys.stdin if l.strip()]
print("%.4f %.4f %.4f %d" % (statistics.median(xs), min(xs), max(xs), len(xs)))')
    r=$(printf '%.2f' "$med")
    read -r get _ < <(cut -d, -f3 "$SAMPLES" | stats)
    echo "direct video on S3: read $(mb "$get") MB from the bucket for a $(mb "$CLIP_BYTES") MB file: ratio $r (goal <= $GOAL: $(verdict "$r" '<=' "$GOAL")); median of $RUNS, range $(printf '%.2f..%.2f' "$min" "$max")"
}
summary | emit_summary direct-s3-reads
