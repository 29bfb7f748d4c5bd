#!/usr/bin/env bash
# bench/video-upload.sh: a 10 s 1080p H.264/AAC QuickTime movie (always transcoded) uploaded
# through v2 until GET answers 200, against plain ffmpeg with the same arguments; and the same
# clip as a passthrough-eligible MP4. See bench/README.md.
#
#   bench/video-upload.sh            # RUNS=5 measured rounds after WARMUP=1
#
# Each round (order alternates AB / BA):
#   A  server    POST /api/v2/media (202, probe and first frame included) then GET every 100 ms until 200
#   B  baseline  ffmpeg -nostdin -i clip.mov <Mediary's transcode arguments> out.mp4
# plus, every round, the passthrough MP4 through the server (same polling).
set -euo pipefail
export LC_ALL=C
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
VIDEO_LIMIT=103809024    # Media:VideoSizeLimit default (99 MB)

need_tools dotnet curl ffmpeg ffprobe python3
bench_init
build_server

MOV="$WORK_DIR/clip-1080p-10s.mov"
MP4="$WORK_DIR/clip-1080p-10s.mp4"
log "generating the input clips"
ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=10" -f lavfi -i "sine=frequency=440:duration=10" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -b:a 128k -shortest -f mov "$MOV"
# The same streams in an MP4: H.264 yuv420p + AAC, so Mediary passes it through.
ffmpeg -nostdin -hide_banner -loglevel error -y -i "$MOV" -c copy -f mp4 "$MP4"

# Mastodon's bitrate: min(w*h*30*0.11, VIDEO_LIMIT*8/max(duration,1) - 192000).
DURATION=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$MOV")
read -r BITRATE MAXRATE BUFSIZE < <(python3 -c 'import math, sys
d = max(float(sys.argv[1]), 1); lim = int(sys.argv[2])
b = min(math.floor(1920 * 1080 * 30 * 0.11), math.floor(lim * 8 / d) - 192000)
print(b, b + 192000, b * 5)' "$DURATION" "$VIDEO_LIMIT")
baseline_args=(-nostdin -i "$MOV" -loglevel fatal -preset veryfast -movflags faststart -pix_fmt yuv420p
    -vf 'crop=floor(iw/2)*2:floor(ih/2)*2' -c:v h264 -c:a aac -b:a 192k -map_metadata -1 -frames:v 36000
    -b:v "$BITRATE" -maxrate "$MAXRATE" -bufsize "$BUFSIZE" -f mp4 -y "$WORK_DIR/baseline.mp4")

start_server video

now_ms() { local t=$EPOCHREALTIME; t=${t/./}; echo $((t / 1000)); }

# One poller process on a kept-alive connection, as a real client polls (from another machine):
# spawning curl ten times a second would itself take CPU from the transcode on two cores.
POLLER="$WORK_DIR/poll.py"
cat >"$POLLER" <<'PY'
import http.client, sys, time, urllib.parse
url, token, media_id = sys.argv[1:4]
parts = urllib.parse.urlsplit(url)
connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
headers = {"Authorization": "Bearer " + token}
while True:
    connection.request("GET", f"/api/v1/media/{media_id}", headers=headers)
    response = connection.getresponse()
    body = response.read()
    if response.status == 200:
        break
    if response.status != 206:
        sys.exit(f"GET answered {response.status}: {body[:300]!r}")
    time.sleep(0.1)
PY

upload_until_ready() { # FILE: prints milliseconds from the POST to the first GET answering 200
    local file=$1 t0 code id
    t0=$(now_ms)
    code=$(curl -sS -o "$WORK_DIR/upload.json" -w '%{http_code}' -H "Authorization: Bearer $SERVER_TOKEN" \
        -F "file=@$file" "$SERVER_URL/api/v2/media")
    [[ $code == 200 || $code == 202 ]] || die "upload answered $code: $(cat "$WORK_DIR/upload.json")"
    id=$(sed -E 's/^\{"id":"([0-9]+)".*/\1/' "$WORK_DIR/upload.json")
    python3 "$POLLER" "$SERVER_URL" "$SERVER_TOKEN" "$id" || die "polling failed"
    echo $(($(now_ms) - t0))
    curl -sS -o /dev/null -X DELETE -H "Authorization: Bearer $SERVER_TOKEN" "$SERVER_URL/api/v1/media/$id"
}

baseline() {
    local t0
    t0=$(now_ms)
    ffmpeg "${baseline_args[@]}"
    echo $(($(now_ms) - t0))
}

log "warm-up: $WARMUP round(s)"
for ((i = 0; i < WARMUP; i++)); do upload_until_ready "$MOV" >/dev/null; baseline >/dev/null; done

SAMPLES="$WORK_DIR/samples.csv"
echo "round,server_transcode_ms,ffmpeg_ms,server_passthrough_ms" >"$SAMPLES"
for ((i = 1; i <= RUNS; i++)); do
    if ((i % 2)); then s=$(upload_until_ready "$MOV"); b=$(baseline)
    else b=$(baseline); s=$(upload_until_ready "$MOV"); fi
    p=$(upload_until_ready "$MP4")
    echo "$i,$s,$b,$p" >>"$SAMPLES"
    log "round $i/$RUNS: server transcode $s ms, plain ffmpeg $b ms, server passthrough $p ms"
done
cp -- "$SAMPLES" "$RESULTS_DIR/video-upload-samples-$(date -u +%Y%m%dT%H%M%SZ).csv"

read -r S_MED S_MIN S_MAX _ < <(tail -n +2 "$SAMPLES" | cut -d, -f2 | stats)
read -r B_MED B_MIN B_MAX _ < <(tail -n +2 "$SAMPLES" | cut -d, -f3 | stats)
read -r P_MED P_MIN P_MAX _ < <(tail -n +2 "$SAMPLES" | cut -d, -f4 | stats)
R_T=$(ratio "$S_MED" "$B_MED")
R_P=$(ratio "$P_MED" "$S_MED")

emit_summary video-upload <<EOF
== video-upload: $(machine_line)
input: 1920x1080 30 fps, ${DURATION}s, H.264 + AAC, as .mov ($(stat -c %s "$MOV") bytes) and as .mp4; -b:v $BITRATE
$RUNS interleaved rounds after $WARMUP warm-up round(s); medians (min..max), ms
  server    .mov POST /api/v2/media -> GET 200 (poll 100 ms)   $(printf '%8.1f' "$S_MED")   ($S_MIN..$S_MAX)
  baseline  plain ffmpeg, same arguments                      $(printf '%8.1f' "$B_MED")   ($B_MIN..$B_MAX)
  server    .mp4 passthrough, POST -> GET 200                 $(printf '%8.1f' "$P_MED")   ($P_MIN..$P_MAX)
  ratio transcode server/ffmpeg     $R_T   (goal <= 1.05: $(verdict "$R_T" '<=' 1.05))
  ratio passthrough/transcode       $R_P   (goal <= 0.10: $(verdict "$R_P" '<=' 0.10))
  server peak RSS (VmHWM) $(mib "$(vm_hwm_kb "$SERVER_PID")") MiB
EOF
