#!/usr/bin/env bash
# bench/video-upload.sh: a 10 s 1080p H.264/AAC QuickTime movie (always transcoded) uploaded
# through v2 until GET answers 200, against plain ffmpeg with the same arguments; and the same
# clip as a passthrough-eligible MP4. See bench/README.md.
#
#   bench/video-upload.sh            # RUNS=5 measured rounds after WARMUP=1
#
# Each round (order alternates AB / BA):
#   A  server    POST /api/v2/media (202, probe and first frame included) then GET every 100 ms until 200,
#                from one Python client started before the clock (no process start inside the timing)
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
CLIENT="$WORK_DIR/upload_until_ready.py"
cat >"$CLIENT" <<'PY'
# One client process, started before the clock, as a Mastodon client library is: it posts the
# file to /api/v2/media, then polls GET /api/v1/media/:id every 100 ms on the same kept-alive
# connection until it answers 200, and prints the milliseconds from the POST to that 200.
# The multipart body is built before the clock starts (curl would stream it from disk).
import http.client, json, sys, time, urllib.parse, uuid
url, token, path = sys.argv[1:4]
parts = urllib.parse.urlsplit(url)
boundary = uuid.uuid4().hex
with open(path, "rb") as f:
    data = f.read()
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
auth = {"Authorization": "Bearer " + token}
t0 = time.perf_counter()
connection.request("POST", "/api/v2/media", body=body, headers={**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
response = connection.getresponse()
answer = response.read()
if response.status not in (200, 202):
    sys.exit(f"upload answered {response.status}: {answer[:300]!r}")
media_id = json.loads(answer)["id"]
while response.status != 200:
    time.sleep(0.1)
    connection.request("GET", f"/api/v1/media/{media_id}", headers=auth)
    response = connection.getresponse()
    answer = response.read()
    if response.status not in (200, 206):
        sys.exit(f"GET answered {response.status}: {answer[:300]!r}")
elapsed = time.perf_counter() - t0
connection.request("DELETE", f"/api/v1/media/{media_id}", headers=auth)
connection.getresponse().read()
print(round(elapsed * 1000))
PY

upload_until_ready() { # FILE: prints milliseconds from the POST to the first GET answering 200
    python3 "$CLIENT" "$SERVER_URL" "$SERVER_TOKEN" "$1" || die "upload or polling failed"
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
