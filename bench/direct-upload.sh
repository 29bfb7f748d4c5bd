#!/usr/bin/env bash
# bench/direct-upload.sh: step 2 of the direct upload API (PUT of the raw bytes to the signed
# upload_url) for a 100 MB and a 400 MB file, against `cat file > copy` on the same disk; and the
# server's peak RSS per file size. See bench/README.md.
#
#   bench/direct-upload.sh           # RUNS=5 measured rounds per size after WARMUP=1
#   RUNS=3 SINK=0 bench/direct-upload.sh
#
# Per size (100 MB, then 400 MB), on a fresh server each, so peak RSS belongs to that size:
#   A  server    POST /v1/media/upload (untimed), then timed: curl -X PUT --data-binary @file
#                -H 'Content-Type: video/mp4' "$upload_url" -> 200 (curl time_total)
#   B  baseline  cat file > copy, on the disk of the server's data directory (wall clock)
#   C  sinks     (diagnostic, SINK=1) the same curl PUT to a minimal Python HTTP sink that
#                discards the body (/dev/null) or writes it to a file on that disk
# Rounds alternate A B C / C B A. Neither side fsyncs (the server does not); every copy is
# deleted after its run and `sync` runs, untimed, before each timed run.
set -euo pipefail
export LC_ALL=C
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SINK=${SINK:-1}
SIZES_MB=(100 400)        # MB = 10^6 bytes; the default video limit is 500 MiB = 524288000 bytes
MB=1000000

# The direct API's per-key rolling rate limits (60/min by default) would stop a long run.
export Direct__RequestsPerMinute=0 Direct__RequestsPerHour=0 Direct__RequestsPerDay=0

need_tools dotnet curl python3 pgrep head sync
bench_init
build_server

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
mb_per_s() { awk -v b="$1" -v ms="$2" 'BEGIN { if (ms > 0) printf "%.1f\n", b / 1e6 / (ms / 1000); else print "nan" }'; }

# ---------------------------------------------------------------------------------------------
# Inputs: random bytes (step 2 does not look at them), in the temp dir, which also holds the
# server's data directory: the same file system for the input, the baseline copy and the server.
# ---------------------------------------------------------------------------------------------
declare -A INPUT
for mb in "${SIZES_MB[@]}"; do
    INPUT[$mb]="$WORK_DIR/random-${mb}MB.bin"
    log "generating ${mb} MB of random bytes"
    head -c $((mb * MB)) /dev/urandom >"${INPUT[$mb]}"
done
FS_LINE=$(df -PT -- "$WORK_DIR" | awk 'NR == 2 {print $1 " (" $2 ") at " $7}')
log "inputs, copies and data directories on $FS_LINE"

COPY="$WORK_DIR/baseline-copy.bin"
baseline_copy() { # FILE: prints milliseconds
    local t0 t1
    sync -f "$WORK_DIR"
    t0=$(now_us)
    cat -- "$1" >"$COPY"
    t1=$(now_us)
    rm -f -- "$COPY"
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1000 }'
}

# timed_put FILE URL WHAT: the measured PUT; prints milliseconds (curl time_total), fails unless
# 200 with the whole file sent.
timed_put() {
    local file=$1 url=$2 what=$3 bytes result code seconds sent
    bytes=$(stat -c %s -- "$file")
    sync -f "$WORK_DIR"
    result=$(curl -sS -o "$WORK_DIR/put.out" -w '%{http_code} %{time_total} %{size_upload}' -X PUT \
        --data-binary "@$file" -H 'Content-Type: video/mp4' "$url") || die "curl PUT ($what) failed"
    read -r code seconds sent <<<"$result"
    [[ $code == 200 ]] || { head -c 500 "$WORK_DIR/put.out" >&2; echo >&2; die "PUT ($what) answered $code"; }
    [[ $sent == "$bytes" ]] || die "PUT ($what) sent $sent of $bytes bytes"
    awk -v s="$seconds" 'BEGIN { printf "%.3f\n", s * 1000 }'
}

# ---------------------------------------------------------------------------------------------
# The server side: a fresh declaration (step 1) for every PUT; the stored upload is deleted
# (DELETE /v1/media/:id) after the run, as the baseline's copy is.
# ---------------------------------------------------------------------------------------------
declare_upload() { # BYTES: sets MEDIA_ID and UPLOAD_URL
    local code
    code=$(curl -sS -o "$WORK_DIR/declare.json" -w '%{http_code}' -H "Authorization: Bearer $API_KEY" \
        -H 'Content-Type: application/json' \
        -d "{\"filename\":\"big.mp4\",\"content_type\":\"video/mp4\",\"size\":$1}" "$SERVER_URL/v1/media/upload") ||
        die "POST /v1/media/upload failed"
    [[ $code == 200 ]] || { cat "$WORK_DIR/declare.json" >&2; echo >&2; die "POST /v1/media/upload answered $code"; }
    read -r MEDIA_ID UPLOAD_URL < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["data"]
print(d["media_id"], d["upload_url"])' "$WORK_DIR/declare.json")
    [[ $UPLOAD_URL == "$SERVER_URL/v1/uploads/$MEDIA_ID?"* ]] || die "unexpected upload_url $UPLOAD_URL"
}

server_put() { # FILE: prints milliseconds of step 2 only
    local file=$1 ms code stored
    declare_upload "$(stat -c %s -- "$file")"
    ms=$(timed_put "$file" "$UPLOAD_URL" server)
    stored="$SERVER_DATA/media/direct_uploads/$MEDIA_ID"
    [[ $(stat -c %s -- "$stored" 2>/dev/null) == $(stat -c %s -- "$file") ]] || die "the server did not store $stored whole"
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $API_KEY" "$SERVER_URL/v1/media/$MEDIA_ID")
    [[ $code == 200 ]] || die "DELETE /v1/media/$MEDIA_ID answered $code"
    [[ ! -e $stored ]] || die "DELETE /v1/media/$MEDIA_ID left $stored"
    echo "$ms"
}

# ---------------------------------------------------------------------------------------------
# Diagnostic sinks: what curl -> loopback -> one recv/write loop costs without Kestrel and .NET.
# One Python process, one connection at a time: reads the headers, answers Expect: 100-continue,
# recv_into a 1 MiB buffer until Content-Length, each chunk written as it arrives (os.write) to
# /dev/null (PUT /null) or to a new file (PUT /file), then 200 with an empty body.
# ---------------------------------------------------------------------------------------------
SINK_COPY="$WORK_DIR/sink-copy.bin"
if ((SINK)); then
    cat >"$WORK_DIR/sink.py" <<'PY'
import os, socket, sys
port, copy_path = int(sys.argv[1]), sys.argv[2]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(8)
buf = bytearray(1 << 20)
view = memoryview(buf)
while True:
    conn, _ = server.accept()
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(65536)
            if not chunk:
                break
            head += chunk
        if b"\r\n\r\n" not in head:
            continue
        head, rest = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
        length = int(headers.get("content-length", "0"))
        if path == "/ready":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            continue
        fd = os.open(copy_path if path == "/file" else os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            if rest:
                os.write(fd, rest)
            left = length - len(rest)
            if left > 0 and headers.get("expect", "").lower() == "100-continue":
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            while left > 0:
                n = conn.recv_into(view, min(left, len(buf)))
                if n == 0:
                    break
                os.write(fd, view[:n])
                left -= n
        finally:
            os.close(fd)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
PY
    SINK_URL="http://127.0.0.1:$(free_port)"
    python3 "$WORK_DIR/sink.py" "${SINK_URL##*:}" "$SINK_COPY" >"$WORK_DIR/sink.log" 2>&1 &
    SINK_PID=$!
    _PIDS_TO_KILL+=("$SINK_PID")
    wait_http "$SINK_URL/ready" "$SINK_PID" 20 || { cat "$WORK_DIR/sink.log" >&2; die "the sink did not come up"; }
fi

sink_put() { # FILE null|file: prints milliseconds
    local ms
    ms=$(timed_put "$1" "$SINK_URL/$2" "sink $2")
    rm -f -- "$SINK_COPY"
    echo "$ms"
}

forget_server() { # PID: stopped already; drop it from the trap's list so a reused pid is never hit
    local pid kept=()
    for pid in "${_SERVER_PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    _SERVER_PIDS=("${kept[@]}")
}

# ---------------------------------------------------------------------------------------------
# Per size: fresh server, warm-up, interleaved rounds, peak RSS, server stopped.
# ---------------------------------------------------------------------------------------------
SAMPLES="$WORK_DIR/samples.csv"
echo "size_mb,round,server_ms,baseline_ms,sink_null_ms,sink_file_ms" >"$SAMPLES"
declare -A HWM_START HWM_END LOG_LINES
for mb in "${SIZES_MB[@]}"; do
    in=${INPUT[$mb]}
    start_server "direct-$mb"
    SERVER_DATA="$WORK_DIR/direct-$mb-data"
    API_KEY=$(dotnet "$MEDIARY_DLL" keys create --account bench --data "$SERVER_DATA") || die "keys create failed"
    [[ -n $API_KEY ]] || die "keys create printed no key"
    HWM_START[$mb]=$(vm_hwm_kb "$SERVER_PID")

    log "$mb MB: warm-up, $WARMUP round(s)"
    for ((i = 0; i < WARMUP; i++)); do
        server_put "$in" >/dev/null
        baseline_copy "$in" >/dev/null
        if ((SINK)); then sink_put "$in" null >/dev/null; sink_put "$in" file >/dev/null; fi
    done

    log "$mb MB: measuring, $RUNS rounds"
    for ((i = 1; i <= RUNS; i++)); do
        n=- f=-
        if ((i % 2)); then
            s=$(server_put "$in"); b=$(baseline_copy "$in")
            if ((SINK)); then n=$(sink_put "$in" null); f=$(sink_put "$in" file); fi
        else
            if ((SINK)); then f=$(sink_put "$in" file); n=$(sink_put "$in" null); fi
            b=$(baseline_copy "$in"); s=$(server_put "$in")
        fi
        echo "$mb,$i,$s,$b,$n,$f" >>"$SAMPLES"
        log "$mb MB round $i/$RUNS: server $(mb_per_s $((mb * MB)) "$s") MB/s ($s ms), cat $(mb_per_s $((mb * MB)) "$b") MB/s ($b ms)$( ((SINK)) && echo ", sink /dev/null $(mb_per_s $((mb * MB)) "$n") MB/s, sink file $(mb_per_s $((mb * MB)) "$f") MB/s")"
    done

    HWM_END[$mb]=$(vm_hwm_kb "$SERVER_PID")
    [[ -n ${HWM_END[$mb]} ]] || die "could not read VmHWM of the server (pid $SERVER_PID)"
    LOG_LINES[$mb]=$(wc -l <"$SERVER_LOG")
    stop_server "$SERVER_PID"
    forget_server "$SERVER_PID"
    rm -rf -- "$SERVER_DATA"
done
cp -- "$SAMPLES" "$RESULTS_DIR/direct-upload-samples-$(date -u +%Y%m%dT%H%M%SZ).csv"

# ---------------------------------------------------------------------------------------------
# Summary: throughput = size / time, per run; medians (min..max) of those.
# ---------------------------------------------------------------------------------------------
throughputs() { # SIZE_MB COLUMN: one MB/s figure per run
    local mb=$1 col=$2
    awk -F, -v mb="$mb" -v col="$col" 'NR > 1 && $1 == mb && $col != "-" { printf "%.3f\n", mb / ($col / 1000) }' "$SAMPLES"
}
row() { # LABEL SIZE_MB COLUMN
    local med min max
    read -r med min max _ < <(throughputs "$2" "$3" | stats)
    printf '  %-62s %8.1f MB/s   (%s..%s)\n' "$1" "$med" "$min" "$max"
    printf '%s\n' "$med" >"$WORK_DIR/median-$2-$3"
}
RSS_GOAL_KB=$((200 * MB / 1024))   # 200 MB

summary() {
    local mb s b r
    echo "== direct-upload: $(machine_line)"
    echo "inputs: random bytes, $(printf '%s MB, ' "${SIZES_MB[@]}" | sed 's/, $//') (MB = 10^6 bytes), on $FS_LINE, in the page cache"
    echo "per size a fresh server (Direct__RequestsPer{Minute,Hour,Day}=0); $RUNS interleaved rounds after $WARMUP warm-up round(s); medians (min..max) of per-run throughput"
    for mb in "${SIZES_MB[@]}"; do
        echo " $mb MB:"
        row "server    PUT upload_url (curl --data-binary, time_total)" "$mb" 3
        row "baseline  cat file > copy (same disk, no fsync)" "$mb" 4
        if ((SINK)); then
            row "sink      same curl PUT -> Python recv loop -> /dev/null" "$mb" 5
            row "sink      same curl PUT -> Python recv loop -> file" "$mb" 6
        fi
        s=$(<"$WORK_DIR/median-$mb-3") b=$(<"$WORK_DIR/median-$mb-4")
        r=$(ratio "$s" "$b")
        echo "  ratio server/baseline  $r   (goal >= 0.80: $(verdict "$r" '>=' 0.80))"
        if ((SINK)); then echo "  ratio server/sink-file $(ratio "$s" "$(<"$WORK_DIR/median-$mb-6")")   (the same client and loopback, a minimal receiver)"; fi
        echo "  server peak RSS (VmHWM) $(mib "${HWM_END[$mb]}") MiB (goal < 200 MB = 191 MiB: $(verdict "${HWM_END[$mb]}" '<=' "$RSS_GOAL_KB")); $(mib "${HWM_START[$mb]}") MiB after start-up; server log lines: ${LOG_LINES[$mb]}"
    done
}
summary | emit_summary direct-upload
