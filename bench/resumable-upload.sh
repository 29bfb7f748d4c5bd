#!/usr/bin/env bash
# bench/resumable-upload.sh: step 2 of the direct upload API sent with tus to the signed
# resumable_upload_url (HEAD, then 128 PATCHes of 8 MiB for 1 GiB, one kept-alive connection)
# against one PUT of the same file to upload_url; the server's RSS meanwhile; and the bytes on
# the wire for an upload cut at 50 % and resumed. Issue 14. See bench/README.md.
# Beside them (PEER=1) the same tus upload, same client, to the official Node tus server
# (bench/tus-peer: @tus/server 2.4.5 with @tus/file-store 2.1.1): the peer a user would pick instead.
#
#   bench/resumable-upload.sh            # RUNS=5 measured rounds after WARMUP=1, 1 GiB, 8 MiB PATCHes
#   RUNS=3 PYPUT=0 PEER=0 RESUME=0 bench/resumable-upload.sh
#
# One server (Direct__VideoSizeLimit=2000000000, i.e. 2 GB; ResumableUploads:CheckpointBytes left
# at its default, 32 MiB), a fresh declaration (POST /v1/media/upload) per upload, untimed. Timed:
#   A  subject   bench/tus-client.py tus resumable_upload_url: HEAD + PATCHes (connect .. last 204)
#   B  baseline  curl -T file -H 'Content-Type: video/mp4' upload_url -> 200 (curl time_total)
#   C  diagnostic (PYPUT=1) bench/tus-client.py put upload_url: the same client code as A, one request
#   P  peer (PEER=1) bench/tus-client.py tus to bench/tus-peer/server.mjs: HEAD + PATCHes as in A, after
#      an untimed tus creation (POST with Upload-Length, curl) of a fresh upload each time
# Rounds alternate A P B C / C B P A. After every upload (untimed) the stored file must be the input,
# byte for byte (cmp), and the media (the peer: the tus upload) is deleted. `sync -f` runs, untimed,
# before each timed upload.
# Then (RESUME=1) the same tus upload through bench/count-proxy.py, cut in the middle of the PATCH
# past 50 % and resumed (HEAD, the rest): once with the socket closed, once left open (silent).
set -euo pipefail
export LC_ALL=C
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
PYPUT=${PYPUT:-1}
PEER=${PEER:-1}
RESUME=${RESUME:-1}
SIZE=${SIZE:-$((1024 * 1024 * 1024))}   # 1 GiB
CHUNK=${CHUNK:-$((8 * 1024 * 1024))}    # 8 MiB per PATCH
VIDEO_LIMIT=2000000000                  # 2 GB: the default Direct:VideoSizeLimit is 500 MiB
MB=1000000

export Direct__VideoSizeLimit=$VIDEO_LIMIT
# The direct API's per-key rolling rate limits (60/min by default) would stop a long run.
export Direct__RequestsPerMinute=0 Direct__RequestsPerHour=0 Direct__RequestsPerDay=0

need_tools dotnet curl python3 pgrep head sync cmp
if ((PEER)); then need_tools node npm; fi
bench_init
build_server

TUS_CLIENT="$BENCH_DIR/tus-client.py"
mb_per_s() { awk -v b="$1" -v ms="$2" 'BEGIN { if (ms > 0) printf "%.1f\n", b / 1e6 / (ms / 1000); else print "nan" }'; }
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# ---------------------------------------------------------------------------------------------
# Input: a file that looks like an MP4 to a sniffer (a 32-byte `ftyp` box) followed by random
# bytes, in the temp dir beside the server's data directory. Step 2 does not look at the bytes,
# and `complete` is not called (it would probe the file, and start a job on 1 GiB of noise).
# ---------------------------------------------------------------------------------------------
INPUT="$WORK_DIR/big.mp4"
log "generating $SIZE bytes (ftyp box + random)"
{
    printf '\000\000\000\040ftypisom\000\000\002\000isomiso2avc1mp41'
    head -c $((SIZE - 32)) /dev/urandom
} >"$INPUT"
[[ $(stat -c %s -- "$INPUT") == "$SIZE" ]] || die "the input is not $SIZE bytes"
((SIZE % CHUNK == 0)) || log "note: $SIZE is not a multiple of $CHUNK; the last PATCH is shorter"
PATCHES=$(((SIZE + CHUNK - 1) / CHUNK))
FS_LINE=$(df -PT -- "$WORK_DIR" | awk 'NR == 2 {print $1 " (" $2 ") at " $7}')
log "input, uploads and data directory on $FS_LINE"

start_server resumable
SERVER_DATA="$WORK_DIR/resumable-data"
API_KEY=$(dotnet "$MEDIARY_DLL" keys create --account bench --data "$SERVER_DATA") || die "keys create failed"
[[ -n $API_KEY ]] || die "keys create printed no key"
HWM_START=$(vm_hwm_kb "$SERVER_PID")

# ---------------------------------------------------------------------------------------------
# The peer (PEER=1): bench/tus-peer/server.mjs, its node_modules installed with npm ci when
# package-lock.json is newer than the last install (as scripts/test.sh does for tests/e2e), on a
# free port with its data directory in the temp dir, on the same file system as Mediary's.
# ---------------------------------------------------------------------------------------------
PEER_DIR="$BENCH_DIR/tus-peer"
PEER_DATA="$WORK_DIR/peer-data"
if ((PEER)); then
    (cd "$PEER_DIR" && { [[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; }) >&2 ||
        die "npm ci in $PEER_DIR failed"
    PEER_VERSIONS=$(cd "$PEER_DIR" && node -e 'for (const p of ["@tus/server", "@tus/file-store"]) process.stdout.write(`${p} ${require(`./node_modules/${p}/package.json`).version} `)')
    PEER_VERSIONS="${PEER_VERSIONS% }, node $(node --version)"
    node "$PEER_DIR/server.mjs" "$(free_port)" "$PEER_DATA" >"$WORK_DIR/peer.out" 2>&1 &
    PEER_PID=$!
    _PIDS_TO_KILL+=("$PEER_PID")
    PEER_URL=
    for ((j = 0; j < 100; j++)); do
        PEER_URL=$(head -n 1 "$WORK_DIR/peer.out" 2>/dev/null || true)
        [[ $PEER_URL == http://* ]] && break
        kill -0 "$PEER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ $PEER_URL == http://127.0.0.1:*/files ]] || { cat "$WORK_DIR/peer.out" >&2; die "the tus peer did not come up"; }
    log "tus peer pid $PEER_PID on $PEER_URL (data $PEER_DATA; $PEER_VERSIONS)"
fi

# ---------------------------------------------------------------------------------------------
# Step 1 and the checks after step 2, all untimed.
# ---------------------------------------------------------------------------------------------
declare_upload() { # sets MEDIA_ID, UPLOAD_URL, RESUMABLE_URL
    local code max
    code=$(curl -sS -o "$WORK_DIR/declare.json" -w '%{http_code}' -H "Authorization: Bearer $API_KEY" \
        -H 'Content-Type: application/json' \
        -d "{\"filename\":\"big.mp4\",\"content_type\":\"video/mp4\",\"size\":$SIZE}" "$SERVER_URL/v1/media/upload") ||
        die "POST /v1/media/upload failed"
    [[ $code == 200 ]] || { cat "$WORK_DIR/declare.json" >&2; echo >&2; die "POST /v1/media/upload answered $code"; }
    read -r MEDIA_ID UPLOAD_URL RESUMABLE_URL max < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["data"]
print(d["media_id"], d["upload_url"], d["resumable_upload_url"], d["max_size"])' "$WORK_DIR/declare.json")
    [[ $max == "$VIDEO_LIMIT" ]] || die "max_size is $max, not $VIDEO_LIMIT: Direct__VideoSizeLimit was not applied"
    [[ $UPLOAD_URL == "$SERVER_URL/v1/uploads/$MEDIA_ID?"* ]] || die "unexpected upload_url $UPLOAD_URL"
    [[ $RESUMABLE_URL == "$SERVER_URL/v1/uploads/$MEDIA_ID/resumable?"* ]] || die "unexpected resumable_upload_url $RESUMABLE_URL"
}

# verify_and_delete WHAT: the stored file is the input, no resumable bytes are left, then DELETE.
verify_and_delete() {
    local stored="$SERVER_DATA/media/direct_uploads/$MEDIA_ID" code left
    [[ $(stat -c %s -- "$stored" 2>/dev/null) == "$SIZE" ]] || die "$1: the server did not store $stored whole"
    cmp -s -- "$INPUT" "$stored" || die "$1: $stored differs from the input"
    left=$(find "$SERVER_DATA/uploads" -type f 2>/dev/null | wc -l)
    ((left == 0)) || die "$1: $left file(s) left in $SERVER_DATA/uploads after the last PATCH"
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $API_KEY" "$SERVER_URL/v1/media/$MEDIA_ID")
    [[ $code == 200 ]] || die "DELETE /v1/media/$MEDIA_ID answered $code"
    [[ ! -e $stored ]] || die "DELETE /v1/media/$MEDIA_ID left $stored"
}

# ---------------------------------------------------------------------------------------------
# The three timed uploads; each prints milliseconds (the tus one also its peak server VmRSS, kB).
# ---------------------------------------------------------------------------------------------
# tus_report FILE: checks the tus client's report (one HEAD, $PATCHES PATCHes, one connection) and
# prints "ms peak_rss_kb patch_ms_median patch_ms_max".
tus_report() {
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert r["requests"] == {"HEAD": 1, "PATCH": int(sys.argv[2])} and r["connections"] == 1, r
print("%.3f %d %.1f %.1f" % (r["seconds"] * 1000, r["peak_rss_kb"], r["patch_ms_median"], r["patch_ms_max"]))' "$1" "$PATCHES"
}

tus_upload() {
    local out="$WORK_DIR/tus.json" ms
    declare_upload
    sync -f "$WORK_DIR"
    python3 "$TUS_CLIENT" tus "$RESUMABLE_URL" "$INPUT" --chunk "$CHUNK" --rss-pid "$SERVER_PID" >"$out" || die "tus upload failed"
    ms=$(tus_report "$out") || die "unexpected tus client report: $(cat "$out")"
    verify_and_delete tus
    echo "$ms"
}

curl_put() {
    local result code seconds sent
    declare_upload
    sync -f "$WORK_DIR"
    result=$(curl -sS -o "$WORK_DIR/put.out" -w '%{http_code} %{time_total} %{size_upload}' -T "$INPUT" \
        -H 'Content-Type: video/mp4' "$UPLOAD_URL") || die "curl -T failed"
    read -r code seconds sent <<<"$result"
    [[ $code == 200 ]] || { head -c 500 "$WORK_DIR/put.out" >&2; echo >&2; die "curl PUT answered $code"; }
    [[ $sent == "$SIZE" ]] || die "curl PUT sent $sent of $SIZE bytes"
    verify_and_delete "curl PUT"
    awk -v s="$seconds" 'BEGIN { printf "%.3f\n", s * 1000 }'
}

# peer_upload: tus creation (untimed), then the same timed HEAD + PATCHes as tus_upload; prints
# "ms peak_rss_kb patch_ms_median patch_ms_max" (the RSS is the peer's).
peer_upload() {
    local out="$WORK_DIR/peer.json" headers="$WORK_DIR/peer-create.headers" code url id ms left
    code=$(curl -sS -o /dev/null -D "$headers" -w '%{http_code}' -X POST -H 'Tus-Resumable: 1.0.0' \
        -H "Upload-Length: $SIZE" "$PEER_URL") || die "peer: POST $PEER_URL failed"
    [[ $code == 201 ]] || die "peer: POST $PEER_URL answered $code"
    url=$(awk 'tolower($1) == "location:" { sub(/\r$/, "", $2); print $2 }' "$headers")
    [[ $url == "$PEER_URL/"* ]] || die "peer: unexpected Location '$url'"
    id=${url##*/}
    sync -f "$WORK_DIR"
    python3 "$TUS_CLIENT" tus "$url" "$INPUT" --chunk "$CHUNK" --rss-pid "$PEER_PID" >"$out" || die "peer tus upload failed"
    ms=$(tus_report "$out") || die "unexpected tus client report (peer): $(cat "$out")"
    [[ $(stat -c %s -- "$PEER_DATA/$id" 2>/dev/null) == "$SIZE" ]] || die "peer: $PEER_DATA/$id is not $SIZE bytes"
    cmp -s -- "$INPUT" "$PEER_DATA/$id" || die "peer: $PEER_DATA/$id differs from the input"
    # tus termination: DELETE answers 204 and removes the file and its .json.
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE -H 'Tus-Resumable: 1.0.0' "$url")
    [[ $code == 204 ]] || die "peer: DELETE $url answered $code"
    left=$(find "$PEER_DATA" -type f | wc -l)
    ((left == 0)) || die "peer: $left file(s) left in $PEER_DATA after DELETE"
    echo "$ms"
}

python_put() {
    local out="$WORK_DIR/put.json" ms
    declare_upload
    sync -f "$WORK_DIR"
    python3 "$TUS_CLIENT" put "$UPLOAD_URL" "$INPUT" --content-type video/mp4 >"$out" || die "python PUT failed"
    ms=$(python3 -c 'import json, sys; print("%.3f" % (json.load(open(sys.argv[1]))["seconds"] * 1000))' "$out")
    verify_and_delete "python PUT"
    echo "$ms"
}

# ---------------------------------------------------------------------------------------------
# Warm-up, then interleaved rounds.
# ---------------------------------------------------------------------------------------------
SAMPLES="$WORK_DIR/samples.csv"
echo "round,tus_ms,curl_put_ms,python_put_ms,tus_peak_rss_kb,patch_ms_median,patch_ms_max,peer_ms,peer_peak_rss_kb,peer_patch_ms_median,peer_patch_ms_max" >"$SAMPLES"
log "warm-up, $WARMUP round(s)"
for ((i = 0; i < WARMUP; i++)); do
    tus_upload >/dev/null
    if ((PEER)); then peer_upload >/dev/null; fi
    curl_put >/dev/null
    if ((PYPUT)); then python_put >/dev/null; fi
done

log "measuring, $RUNS rounds of $SIZE bytes"
for ((i = 1; i <= RUNS; i++)); do
    p=- e=- erss=- emed=- emax=-
    if ((i % 2)); then
        out=$(tus_upload); read -r t rss pmed pmax <<<"$out"
        if ((PEER)); then out=$(peer_upload); read -r e erss emed emax <<<"$out"; fi
        c=$(curl_put)
        if ((PYPUT)); then p=$(python_put); fi
    else
        if ((PYPUT)); then p=$(python_put); fi
        c=$(curl_put)
        if ((PEER)); then out=$(peer_upload); read -r e erss emed emax <<<"$out"; fi
        out=$(tus_upload); read -r t rss pmed pmax <<<"$out"
    fi
    echo "$i,$t,$c,$p,$rss,$pmed,$pmax,$e,$erss,$emed,$emax" >>"$SAMPLES"
    log "round $i/$RUNS: tus $(mb_per_s "$SIZE" "$t") MB/s ($t ms; PATCH median $pmed ms, max $pmax ms; server VmRSS peak $(mib "$rss") MiB)$( ((PEER)) && echo ", peer tus $(mb_per_s "$SIZE" "$e") MB/s ($e ms; PATCH median $emed ms, max $emax ms; peer VmRSS peak $(mib "$erss") MiB)"), curl PUT $(mb_per_s "$SIZE" "$c") MB/s ($c ms)$( ((PYPUT)) && echo ", python PUT $(mb_per_s "$SIZE" "$p") MB/s ($p ms)")"
done
HWM_AFTER_ROUNDS=$(vm_hwm_kb "$SERVER_PID")

# ---------------------------------------------------------------------------------------------
# Resume: through bench/count-proxy.py (every byte both ways, headers included), cut in the
# middle of the PATCH past the half (for 1 GiB in 8 MiB: 4 MiB into PATCH 65, at 50.4 %).
# ---------------------------------------------------------------------------------------------
CUT_AT=$(((SIZE / 2 / CHUNK) * CHUNK + CHUNK / 2))
((CUT_AT < SIZE)) || CUT_AT=$((SIZE / 2))
declare -A RESUME_LINE RESUME_RATIO
if ((RESUME)); then
    PROXY_PORT=$(free_port)
    PROXY_CONTROL="http://127.0.0.1:$(free_port)"
    python3 "$BENCH_DIR/count-proxy.py" "$PROXY_PORT" "${SERVER_URL#http://}" "${PROXY_CONTROL##*:}" \
        "$WORK_DIR/proxy-requests.log" >"$WORK_DIR/proxy.out" 2>&1 &
    PROXY_PID=$!
    _PIDS_TO_KILL+=("$PROXY_PID")
    for ((j = 0; j < 100; j++)); do
        curl -sf -o /dev/null --max-time 2 "$PROXY_CONTROL/counters" && break
        kill -0 "$PROXY_PID" 2>/dev/null || break
        sleep 0.1
    done
    curl -sf -o /dev/null "$PROXY_CONTROL/counters" || { cat "$WORK_DIR/proxy.out" >&2; die "count-proxy did not come up"; }

    counters_when_idle() { # FILE: the proxy's counters once nothing is in flight and 1 s has been quiet
        local k
        for ((k = 0; k < 300; k++)); do
            curl -sf "$PROXY_CONTROL/counters" >"$1" || die "count-proxy does not answer"
            python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); sys.exit(0 if c["in_flight"] <= 0 and c["idle_seconds"] >= 1 else 1)' "$1" && return 0
            sleep 0.2
        done
        die "count-proxy never went idle"
    }

    for how in close silent; do
        log "resume: cut ($how) at $CUT_AT of $SIZE bytes, through count-proxy"
        declare_upload
        counters_when_idle "$WORK_DIR/before.json"
        proxy_url="http://127.0.0.1:$PROXY_PORT${RESUMABLE_URL#"$SERVER_URL"}"
        python3 "$TUS_CLIENT" tus "$proxy_url" "$INPUT" --chunk "$CHUNK" --cut-at "$CUT_AT" --cut-how "$how" \
            --rss-pid "$SERVER_PID" >"$WORK_DIR/resume-$how.json" || die "resumed upload ($how) failed"
        counters_when_idle "$WORK_DIR/after.json"
        verify_and_delete "resume ($how)"
        out=$(python3 -c '
import json, sys
before, after, r = (json.load(open(p)) for p in sys.argv[1:4])
size, cut = int(sys.argv[4]), int(sys.argv[5])
up, down = after["wire_up"] - before["wire_up"], after["wire_down"] - before["wire_down"]
reqs = {m: after["requests"].get(m, 0) - before["requests"].get(m, 0) for m in after["requests"]}
body = {m: after["request_body_bytes"].get(m, 0) - before["request_body_bytes"].get(m, 0) for m in after["request_body_bytes"]}
ratio = (up + down) / size
resent = r["body_bytes_sent"] - size
print("%.4f %d bytes on the wire (up %d, down %d; PATCH bodies %d) for %d; HEAD after the cut said %d (cut at %d: %d sent before it were lost), client resent %d bytes; requests %s; %.1f s through the proxy; server VmRSS peak %.0f MiB" % (
    ratio, up + down, up, down, body.get("PATCH", 0), size, r["head_offset_after_cut"], cut, cut - r["head_offset_after_cut"],
    resent, " ".join("%s=%d" % kv for kv in sorted(reqs.items()) if kv[1]), r["seconds"], r["peak_rss_kb"] / 1024))
' "$WORK_DIR/before.json" "$WORK_DIR/after.json" "$WORK_DIR/resume-$how.json" "$SIZE" "$CUT_AT")
        RESUME_RATIO[$how]=${out%% *} RESUME_LINE[$how]=${out#* }
        log "resume ($how): ratio ${RESUME_RATIO[$how]}: ${RESUME_LINE[$how]}"
    done
    cp -- "$WORK_DIR/proxy-requests.log" "$RESULTS_DIR/resumable-upload-proxy-requests-$(date -u +%Y%m%dT%H%M%SZ).log"
fi

HWM_END=$(vm_hwm_kb "$SERVER_PID")
RSS_END=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
LOG_LINES=$(wc -l <"$SERVER_LOG")
((LOG_LINES == 0)) || cp -- "$SERVER_LOG" "$RESULTS_DIR/resumable-upload-server-$(date -u +%Y%m%dT%H%M%SZ).log"
cp -- "$SAMPLES" "$RESULTS_DIR/resumable-upload-samples-$(date -u +%Y%m%dT%H%M%SZ).csv"

# ---------------------------------------------------------------------------------------------
# Summary: throughput = size / time, per run; medians (min..max) of those; the ratio is of the
# medians, as in bench/direct-upload.sh.
# ---------------------------------------------------------------------------------------------
column() { awk -F, -v col="$1" 'NR > 1 && $col != "-" { print $col }' "$SAMPLES"; }
row() { # LABEL COLUMN: median MB/s (min..max)
    local med min max
    read -r med min max _ < <(column "$2" | awk -v b="$SIZE" '{ printf "%.3f\n", b / 1e6 / ($1 / 1000) }' | stats)
    printf '  %-66s %7.1f MB/s   (%s..%s)\n' "$1" "$med" "$min" "$max"
    printf '%s\n' "$med" >"$WORK_DIR/median-$2"
}
RSS_GOAL_KB=$((200 * MB / 1024))   # 200 MB
RESUME_GOAL=1.02

summary() {
    local t c e r peak per_round pmed
    echo "== resumable-upload: $(machine_line)"
    echo "input: $SIZE bytes ($(awk -v b="$SIZE" 'BEGIN { printf "%.2f GiB", b / 1073741824 }'); an MP4 ftyp box, then random bytes) on $FS_LINE, in the page cache"
    echo "server: Direct__VideoSizeLimit=$VIDEO_LIMIT, Direct__RequestsPer{Minute,Hour,Day}=0, ResumableUploads:CheckpointBytes at its default (32 MiB)"
    echo "$RUNS interleaved rounds after $WARMUP warm-up round(s); medians (min..max) of per-run throughput (MB = 10^6 bytes), connect .. last answer"
    row "server    tus HEAD + $PATCHES PATCH x $((CHUNK / 1048576)) MiB, one connection (tus-client.py)" 2
    row "baseline  curl -T PUT upload_url, one request (time_total)" 3
    if ((PYPUT)); then row "diag      tus-client.py PUT upload_url, one request (same client as tus)" 4; fi
    if ((PEER)); then row "peer      tus HEAD + $PATCHES PATCH x $((CHUNK / 1048576)) MiB to @tus/server + FileStore (same client)" 8; fi
    t=$(<"$WORK_DIR/median-2") c=$(<"$WORK_DIR/median-3")
    r=$(ratio "$t" "$c")
    echo "  ratio resumable/PUT          $r   (goal >= 0.90: $(verdict "$r" '>=' 0.90))"
    if ((PYPUT)); then echo "  ratio resumable/python PUT   $(ratio "$t" "$(<"$WORK_DIR/median-4")")   (the same client code and send loop on both sides)"; fi
    if ((PEER)); then
        e=$(<"$WORK_DIR/median-8")
        echo "  ratio resumable/peer         $(ratio "$t" "$e")   (the better comparison: same protocol, same client; the peer does not fsync, see bench/README.md)"
        echo "  ratio peer/PUT               $(ratio "$e" "$c")   (the peer's tus against the same curl PUT to Mediary)"
    fi
    pmed=$(column 6 | stats | cut -d' ' -f1)
    echo "  PATCH round trip: median ${pmed} ms (median over rounds of each round's median), ${CHUNK} bytes each$( ((PEER)) && echo "; peer $(column 10 | stats | cut -d' ' -f1) ms")"
    if ((PEER)); then echo "  peer: $PEER_VERSIONS; its peak VmRSS over the rounds $(mib "$(column 9 | sort -n | tail -n 1)") MiB; lines it printed besides its URL: $(($(wc -l <"$WORK_DIR/peer.out") - 1))"; fi
    peak=$(column 5 | sort -n | tail -n 1)
    per_round=$(column 5 | while read -r kb; do printf '%s ' "$(mib "$kb")"; done)
    echo "  server peak RSS during the resumable rounds (VmRSS every 50 ms) $(mib "$peak") MiB (goal < 200 MB = 191 MiB: $(verdict "$peak" '<=' "$RSS_GOAL_KB")); per round: ${per_round% }"
    echo "  server VmHWM $(mib "$HWM_START") MiB after start-up, $(mib "$HWM_AFTER_ROUNDS") MiB after the rounds (PUTs included), $(mib "$HWM_END") MiB at the end; VmRSS at the end $(mib "$RSS_END") MiB; server log lines: $LOG_LINES"
    if ((RESUME)); then
        for how in close silent; do
            echo "  resume, cut ($how) at $CUT_AT ($(awk -v a="$CUT_AT" -v b="$SIZE" 'BEGIN { printf "%.1f", 100 * a / b }') %, mid-PATCH): ${RESUME_LINE[$how]}"
        done
        echo "  ratio resumed wire bytes/file (socket closed)  $(printf '%.3f' "${RESUME_RATIO[close]}")   (goal <= $RESUME_GOAL: $(verdict "${RESUME_RATIO[close]}" '<=' "$RESUME_GOAL"))"
        echo "  ratio resumed wire bytes/file (silent cut)     $(printf '%.3f' "${RESUME_RATIO[silent]}")   (goal <= $RESUME_GOAL: $(verdict "${RESUME_RATIO[silent]}" '<=' "$RESUME_GOAL"))"
    fi
}
summary | emit_summary resumable-upload
