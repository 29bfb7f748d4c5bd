#!/usr/bin/env bash
# make-fixtures.sh OUTDIR
#
# Generates every test medium the Mediary test suite needs, from real tools
# (ffmpeg, libvips, exiftool, python3), so no binary fixtures live in git.
#
# * Deterministic: all pixels come from ffmpeg lavfi test sources
#   (testsrc/testsrc2/mandelbrot/gradients with fixed seeds and parameters,
#   frame 0) or from formulas; no timestamps are written.  For a given set of
#   tool versions reruns produce the same bytes (checked: three runs gave
#   identical sha256 for every file).
# * Idempotent and fast: OUTDIR/.complete holds a stamp (hash of this script
#   and its helper).  If it matches, the script exits at once.  Otherwise
#   everything is built in a temporary directory next to OUTDIR, checked, and
#   renamed into place atomically (the stamp is written before the rename, so
#   OUTDIR is either absent/stale or complete).  Concurrent runs are
#   serialised with flock on "OUTDIR.lock".
#
# Files produced (see the brief in the report for their purpose):
#   photo-12mp-exif6.jpg   4000x3000, EXIF Orientation=6, GPS, Make/Model,
#                          Artist, DateTimeOriginal, XMP dc:creator, IPTC
#                          By-line, embedded sRGB ICC profile (libvips built-in)
#   600x400.{jpg,png,webp,gif,heic,avif}   plain fixtures, no metadata;
#                          the PNG is RGBA with a horizontal alpha ramp
#   exif-gps.{png,webp}    640x480 with EXIF GPS + Make/Model + XMP
#   static-comment.gif     320x240, GIF comment + XMP application extension
#   animated.gif           128x128, 10 frames
#   bomb-20000.png         20000x20000 greyscale zeros, ~390 KB
#   gif-too-big.gif        1281x720 (over the 921,600 px GIF limit)
#   gif-private-extensions.gif  320x240 static GIF with ImageMagick MGKIPTC0000
#                          and MGK8BIM0000 extensions, XMP GPS, a plain text
#                          block, bytes after the LZW end code and the trailer
#                          (all naming "Fixture Person Name", GPS 48.8584,2.2945)
#   gif-huge-screen.gif    a 1x1 frame in a claimed 65535x65535 screen
#   animated-huge-screen.gif  64x48, 3 frames of 0.1, 0.3, 0.6 s, loop count
#                          5, in a claimed 65535x65535 screen
#   animated-16x16.gif animated-17x17.gif animated-1x64.gif   5 frames each
#   big-9000x4000.jpg      36 MP (over the 33,177,600 px image limit)
#   large-4000x2500.jpg    10 MP (over 8,294,400 px, under 33 MP)
#   truncated.jpg          first 40% of 600x400.jpg
#   html-as.jpg svg-as.jpg pdf-as.png empty.jpg   non-images with image names
#   Video/audio (1 s or less, 320x240 unless noted; encoders single-threaded
#   and muxers bitexact, so these are reproducible too):
#   h264-aac.mp4           H.264 yuv420p + AAC: passthrough-eligible (moov at
#                          the end, so truncated.mp4 has no moov atom)
#   silent.mp4             H.264 yuv444p, no audio: must be transcoded (gifv)
#   quicktime.mov          H.264 + AAC in QuickTime: must be transcoded
#   webm-with-audio.webm   VP9 + Opus
#   rotated-90.mp4         h264-aac.mp4 with a 90 degree display matrix
#                          (displayed 240x320)
#   960x540.mp4            H.264, 3 frames, no audio: first frame -> 640x360
#   fps-240.mp4            160x120 at 240 fps, 0.5 s (over the 120 fps limit)
#   too-many-pixels.mp4    4096x2048 = 8,388,608 px (over 8,294,400), 2 frames
#   audio-only.ogg (Vorbis)  audio.mp3  audio-only.webm (Opus)
#   audio-cover.mp3        MP3 + attached PNG cover: 150x150 #268cd9 with a
#                          white 50x50 square in the middle
#   audio-cover.ogg        Vorbis + the same cover as METADATA_BLOCK_PICTURE
#   empty.wav              a WAV header with no samples
#   playlist-as.mp4        HLS playlist naming file:///etc/passwd, .mp4 name
#   truncated.mp4          first 30% of h264-aac.mp4
#   PDFs (written by hand, valid xref tables):
#   document.pdf           3 pages; page 1 US letter (612x792 pt) with a blue
#                          and a red filled rectangle, pages 2-3 A4 text
#   giant-page.pdf         one 200000x200000 pt page (pixel bomb if rendered
#                          at any fixed resolution)
#   slow-render.pdf        nested form XObjects: 10^10 fills, never finishes
#                          rendering (timeouts); pdfinfo reads it at once
#   broken.pdf             first 48 bytes of document.pdf: pdfinfo fails
set -euo pipefail

# Bump to force regeneration even if the files below did not change.
readonly FIXTURE_FORMAT_VERSION=2

die() { printf 'make-fixtures.sh: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# Required tools (checked first, so a missing package is reported clearly).
# --------------------------------------------------------------------------
missing=()
need() { # need COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 || missing+=("'$1' (apt-get install $2)")
}
need ffmpeg     ffmpeg
need ffprobe    ffmpeg
need vips       libvips-tools
need vipsheader libvips-tools
need exiftool   libimage-exiftool-perl
need python3    python3
need flock      util-linux
need sha256sum  coreutils
need timeout    coreutils
need pdfinfo    poppler-utils
if ((${#missing[@]})); then
    die "missing required tool(s): ${missing[*]}"
fi

[[ $# -eq 1 && -n $1 ]] || die "usage: make-fixtures.sh OUTDIR"

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly SELF="$script_dir/make-fixtures.sh"
readonly BOMB_HELPER="$script_dir/make-png-bomb.py"
readonly HOSTILE_HELPER="$script_dir/make-hostile-files.py"
[[ -f $BOMB_HELPER ]] || die "helper not found: $BOMB_HELPER"
[[ -f $HOSTILE_HELPER ]] || die "helper not found: $HOSTILE_HELPER"

outdir=${1%/}
[[ -n $outdir && $outdir != . && $outdir != .. ]] || die "refusing OUTDIR '$1'"
readonly OUTDIR=$outdir
readonly STAMP_FILE="$OUTDIR/.complete"

script_hash=$(cat -- "$SELF" "$BOMB_HELPER" "$HOSTILE_HELPER" | sha256sum)
readonly STAMP="v$FIXTURE_FORMAT_VERSION ${script_hash%% *}"

stamp_ok() { [[ -f $STAMP_FILE && "$(<"$STAMP_FILE")" == "$STAMP" ]]; }

# Fast path: already generated by this exact script version.
stamp_ok && exit 0

parent=$(dirname -- "$OUTDIR")
mkdir -p -- "$parent"

# Serialise concurrent runs (e.g. several test processes starting at once).
exec 9>"$OUTDIR.lock"
flock -w 600 9 || die "timed out waiting for lock $OUTDIR.lock"
stamp_ok && exit 0   # another run finished while we waited

# Only ever delete an OUTDIR this script created (has a stamp) or an empty one.
if [[ -e $OUTDIR ]]; then
    [[ -d $OUTDIR ]] || die "'$OUTDIR' exists and is not a directory"
    if [[ ! -f $STAMP_FILE ]] && [[ -n "$(ls -A -- "$OUTDIR")" ]]; then
        die "'$OUTDIR' is not empty and was not made by this script; refusing to replace it"
    fi
fi

stage=$(mktemp -d -- "$parent/.$(basename -- "$OUTDIR").tmp.XXXXXX")
trap 'rm -rf -- "$stage"' EXIT
readonly OUT="$stage/out" WORK="$stage/work"
mkdir -p -- "$OUT" "$WORK"

start_seconds=$SECONDS

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
ff() { timeout 120 ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# ff_frame SOURCE-GRAPH OUTFILE: first frame of a lavfi source as a file
# (PPM for RGB intermediates; format chosen by the extension).
ff_frame() { ff -f lavfi -i "$1" -frames:v 1 -update 1 "$2"; }

# ff_static_gif SOURCE-GRAPH OUTFILE: single-frame GIF with an optimal
# palette and no NETSCAPE looping extension (-loop -1), i.e. truly static.
# (palettegen buffers until end of input, so the input must be finite.)
ff_static_gif() {
    ff -f lavfi -i "$1" \
        -filter_complex '[0:v]trim=end_frame=1,split[a][b];[a]palettegen=stats_mode=single:reserve_transparent=0[p];[b][p]paletteuse=dither=bayer:bayer_scale=3' \
        -frames:v 1 -loop -1 -f gif "$2"
}

# ff_webp INFILE OUTFILE: lossy WebP in the simple (RIFF/VP8) layout without
# any metadata.  (libvips 8.14 webpsave writes an EXIF chunk even with
# --strip, and with an "Exif\0\0" prefix that exiftool flags as improper.)
ff_webp() { ff -i "$1" -frames:v 1 -c:v libwebp -quality 80 -f webp "$2"; }

exif() { exiftool -quiet -overwrite_original "$@"; }

# Common privacy-sensitive metadata.  GPS = Eiffel Tower, 35 m altitude.
readonly GPS_ARGS=(
    -GPSLatitude=48.8584  -GPSLatitudeRef=N
    -GPSLongitude=2.2945  -GPSLongitudeRef=E
    -GPSAltitude=35       -GPSAltitudeRef=0
)
readonly CAMERA_ARGS=(-EXIF:Make=MediaryTestCam -EXIF:Model=FixtureModel)

# --------------------------------------------------------------------------
# Generators (each writes only its own files; several run in parallel)
# --------------------------------------------------------------------------

gen_photo() {
    # 12 MP "photo": colourful test pattern plus seeded noise so the JPEG has
    # a realistic size (~5 MB at Q90).  Pixels are stored landscape; EXIF
    # Orientation=6 says "rotate 90 CW to display" (displayed 3000x4000).
    ff_frame "testsrc2=size=4000x3000:rate=1:duration=1,noise=alls=12:allf=u:all_seed=4242,format=rgb24" \
        "$WORK/photo.ppm"
    # --profile srgb embeds libvips' built-in sRGB ICC profile.
    vips jpegsave "$WORK/photo.ppm" "$OUT/photo-12mp-exif6.jpg" --Q 90 --profile srgb
    rm -f -- "$WORK/photo.ppm"
    exif "$OUT/photo-12mp-exif6.jpg" \
        -Orientation#=6 \
        "${CAMERA_ARGS[@]}" \
        "-EXIF:Artist=Fixture Artist Name" \
        "-EXIF:DateTimeOriginal=2021:06:15 12:34:56" \
        "${GPS_ARGS[@]}" \
        -XMP-dc:Creator=XmpCreatorName \
        -IPTC:By-line=IptcBylineName
}

gen_600x400() {
    local rgb="$WORK/600x400.ppm" rgba="$WORK/600x400-rgba.png"
    ff_frame "testsrc2=size=600x400:rate=1:duration=1,format=rgb24" "$rgb"
    # RGBA: same pattern, alpha ramps 64..255 left to right.
    ff_frame "testsrc2=size=600x400:rate=1:duration=1,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='64+191*X/W'" \
        "$rgba"

    vips jpegsave "$rgb"  "$OUT/600x400.jpg"  --Q 85 --strip
    vips pngsave  "$rgba" "$OUT/600x400.png"  --compression 9 --strip
    ff_webp "$rgb" "$OUT/600x400.webp"
    vips heifsave "$rgb"  "$OUT/600x400.heic" --compression hevc --Q 60 --strip
    vips heifsave "$rgb"  "$OUT/600x400.avif" --compression av1  --Q 60 --strip
    ff_static_gif "testsrc2=size=600x400:rate=1:duration=1,format=rgb24" "$OUT/600x400.gif"

    # Truncated JPEG: first 40% of the bytes of the good one.
    local size
    size=$(stat -c %s -- "$OUT/600x400.jpg")
    head -c $((size * 40 / 100)) -- "$OUT/600x400.jpg" >"$OUT/truncated.jpg"
}

gen_exif_gps() {
    local src="$WORK/640x480.ppm"
    ff_frame "mandelbrot=size=640x480:rate=1,format=rgb24" "$src"
    vips pngsave  "$src" "$OUT/exif-gps.png"  --compression 9 --strip
    ff_webp "$src" "$OUT/exif-gps.webp"
    # PNG: EXIF goes into an eXIf chunk, XMP into an iTXt chunk.
    # WebP: exiftool converts to the extended (VP8X) layout with EXIF + XMP chunks.
    exif "$OUT/exif-gps.png" "$OUT/exif-gps.webp" \
        "${CAMERA_ARGS[@]}" "${GPS_ARGS[@]}" -XMP-dc:Creator=XmpCreatorName
}

gen_gifs() {
    ff_static_gif "testsrc2=size=320x240:rate=1:duration=1,format=rgb24" "$OUT/static-comment.gif"
    # Comment extension block + XMP application extension ("XMP DataXMP").
    exif "$OUT/static-comment.gif" \
        -Comment=SECRET-GIF-COMMENT -XMP-dc:Creator=SECRET-GIF-XMP

    # 10 frames at 10 fps (1 s), loops forever; palette computed over all
    # frames (palettegen waits for end of input: keep the source finite).
    ff -f lavfi -i "testsrc=size=128x128:rate=10:duration=1" \
        -filter_complex '[0:v]split[a][b];[a]palettegen[p];[b][p]paletteuse=dither=bayer:bayer_scale=3' \
        -frames:v 10 -loop 0 -f gif "$OUT/animated.gif"

    # 1281x720 = 922,320 px, one pixel column over the 921,600 px GIF limit.
    # (format=rgb24 inside the source graph: otherwise testsrc2 negotiates
    # yuv420p and silently rounds the odd width down to 1280.)
    ff_static_gif "testsrc2=size=1281x720:rate=1:duration=1,format=rgb24" "$OUT/gif-too-big.gif"

    # Hostile GIFs (see make-hostile-files.py): what a GIF can carry besides its pictures,
    # and screens far larger than their frames.
    ff_static_gif "testsrc2=size=320x240:rate=1:duration=1,format=rgb24" "$WORK/private.gif"
    exif "$WORK/private.gif" -XMP-exif:GPSLatitude=48.8584 \
        -XMP-exif:GPSLongitude=2.2945 "-XMP-dc:Creator=Fixture Person Name"
    python3 "$HOSTILE_HELPER" private-gif "$WORK/private.gif" "$OUT/gif-private-extensions.gif"
    ff_static_gif "color=c=red:size=1x1:rate=1:duration=1,format=rgb24" "$WORK/1x1.gif"
    python3 "$HOSTILE_HELPER" huge-screen "$WORK/1x1.gif" "$OUT/gif-huge-screen.gif"
    ff -f lavfi -i "testsrc2=size=64x48:rate=10:duration=0.3,format=rgb24" -loop 0 -f gif "$WORK/64x48.gif"
    python3 "$HOSTILE_HELPER" animated-huge-screen "$WORK/64x48.gif" "$OUT/animated-huge-screen.gif"

    # Animations too small for Mastodon's bitrate formula (16x16, 17x17) or one pixel wide.
    local size
    for size in 16x16 17x17 1x64; do
        ff -f lavfi -i "testsrc=size=$size:rate=10:duration=0.5" -loop 0 -f gif "$OUT/animated-$size.gif"
    done
}

gen_big() {
    # 36 MP, smooth radial gradient at low quality => about 0.6 MB.
    # All gradient points and colours are explicit: in ffmpeg 5.1 the points
    # are otherwise randomised on every run, even with a fixed seed.
    ff_frame "gradients=size=9000x4000:rate=1:duration=1:seed=7:type=radial:nb_colors=3:c0=0x204080:c1=0xe0a040:c2=0x40c080:x0=2000:y0=1000:x1=8000:y1=3500,format=rgb24" \
        "$WORK/big.ppm"
    vips jpegsave "$WORK/big.ppm" "$OUT/big-9000x4000.jpg" --Q 50 --strip
    rm -f -- "$WORK/big.ppm"

    # 10 MP: must be downscaled by the server but is accepted.
    ff_frame "testsrc2=size=4000x2500:rate=1:duration=1,format=rgb24" "$WORK/large.ppm"
    vips jpegsave "$WORK/large.ppm" "$OUT/large-4000x2500.jpg" --Q 85 --strip
    rm -f -- "$WORK/large.ppm"
}

gen_bomb() {
    python3 "$BOMB_HELPER" "$OUT/bomb-20000.png" 20000 20000
}

gen_fakes() {
    : >"$OUT/empty.jpg"

    cat >"$OUT/html-as.jpg" <<'EOF'
<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Not an image</title></head>
<body>
<p>Mediary fixture: an HTML document saved with a .jpg name.</p>
<script>alert("mediary-fixture-html")</script>
</body>
</html>
EOF

    cat >"$OUT/svg-as.jpg" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">
  <rect width="600" height="400" fill="#3366cc"/>
  <circle cx="300" cy="200" r="120" fill="#ffcc00"/>
  <script>alert("mediary-fixture-svg")</script>
</svg>
EOF

    gen_pdf "$OUT/pdf-as.png"
}

# --------------------------------------------------------------------------
# Video and audio: lavfi test patterns and sine tones.  Encoders run
# single-threaded and muxers bitexact (no random Matroska/Ogg ids, no version
# strings), so reruns give the same bytes.
# --------------------------------------------------------------------------
readonly AV_EXACT=(-threads 1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)
readonly X264=(-c:v libx264 -preset veryfast)
readonly TONE="sine=frequency=440:sample_rate=44100:duration=1"
readonly PATTERN="testsrc2=size=320x240:rate=30:duration=1"

# av_clip VIDEO-GRAPH AUDIO-GRAPH OUTFILE ENCODER-ARGS...: one video + one audio source.
av_clip() {
    local video=$1 audio=$2 out=$3
    shift 3
    ff -f lavfi -i "$video" -f lavfi -i "$audio" -shortest "$@" "${AV_EXACT[@]}" "$out"
}

# cover_picture_block PNG WIDTH HEIGHT: base64 FLAC picture block (front
# cover), the way Vorbis comments carry cover art (METADATA_BLOCK_PICTURE).
cover_picture_block() {
    python3 -c '
import base64, struct, sys
data = open(sys.argv[1], "rb").read()
mime, desc = b"image/png", b"Cover (front)"
block = struct.pack(">II", 3, len(mime)) + mime + struct.pack(">I", len(desc)) + desc
block += struct.pack(">IIIII", int(sys.argv[2]), int(sys.argv[3]), 24, 0, len(data)) + data
sys.stdout.write(base64.b64encode(block).decode())
' "$1" "$2" "$3"
}

gen_video() {
    av_clip "$PATTERN" "$TONE" "$OUT/h264-aac.mp4" "${X264[@]}" -pix_fmt yuv420p -c:a aac -b:a 96k
    av_clip "$PATTERN" "$TONE" "$OUT/quicktime.mov" "${X264[@]}" -pix_fmt yuv420p -c:a aac -b:a 96k -f mov
    av_clip "$PATTERN" "sine=frequency=660:sample_rate=48000:duration=1" "$OUT/webm-with-audio.webm" \
        -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 200k -c:a libopus -b:a 64k
    ff -f lavfi -i "$PATTERN" "${X264[@]}" -pix_fmt yuv444p "${AV_EXACT[@]}" "$OUT/silent.mp4"

    # ffmpeg 5.1 has no -display_rotation, and a rotate tag given while
    # encoding is dropped; on a stream copy it becomes the display matrix.
    ff -i "$OUT/h264-aac.mp4" -map 0 -c copy -metadata:s:v:0 rotate=90 "${AV_EXACT[@]}" "$OUT/rotated-90.mp4"

    ff -f lavfi -i "testsrc2=size=960x540:rate=30:duration=0.1" "${X264[@]}" -pix_fmt yuv420p \
        "${AV_EXACT[@]}" "$OUT/960x540.mp4"
    ff -f lavfi -i "testsrc2=size=160x120:rate=240:duration=0.5" "${X264[@]}" -pix_fmt yuv420p \
        "${AV_EXACT[@]}" "$OUT/fps-240.mp4"
    # A flat colour keeps 4096x2048 frames tiny.
    ff -f lavfi -i "color=c=0x406080:size=4096x2048:rate=10:duration=0.2" -c:v libx264 -preset ultrafast \
        -pix_fmt yuv420p "${AV_EXACT[@]}" "$OUT/too-many-pixels.mp4"

    local size
    size=$(stat -c %s -- "$OUT/h264-aac.mp4")
    head -c $((size * 30 / 100)) -- "$OUT/h264-aac.mp4" >"$OUT/truncated.mp4"

    # Not a video: an HLS playlist that would make a naive ffmpeg read a local file.
    printf '%s\n' '#EXTM3U' '#EXT-X-VERSION:3' '#EXT-X-TARGETDURATION:10' '#EXT-X-MEDIA-SEQUENCE:0' \
        '#EXTINF:10.0,' 'file:///etc/passwd' '#EXT-X-ENDLIST' >"$OUT/playlist-as.mp4"
}

gen_audio() {
    local cover="$WORK/cover.png"

    ff -f lavfi -i "$TONE" -c:a libvorbis -q:a 2 "${AV_EXACT[@]}" "$OUT/audio-only.ogg"
    ff -f lavfi -i "$TONE" -c:a libmp3lame -q:a 4 "${AV_EXACT[@]}" "$OUT/audio.mp3"
    ff -f lavfi -i "sine=frequency=523:sample_rate=48000:duration=1" -c:a libopus -b:a 48k \
        "${AV_EXACT[@]}" "$OUT/audio-only.webm"

    # Cover: Mastodon's boop.ogg blue (#268cd9) with a white square in the middle.
    ff_frame "color=c=0x268cd9:size=150x150,drawbox=x=50:y=50:w=50:h=50:color=white:t=fill,format=rgb24" "$cover"
    ff -i "$OUT/audio.mp3" -i "$cover" -map 0:a -map 1:v -c:a copy -c:v png -disposition:v:0 attached_pic \
        -metadata:s:v "title=Album cover" -metadata:s:v "comment=Cover (front)" -id3v2_version 3 \
        "${AV_EXACT[@]}" "$OUT/audio-cover.mp3"
    ff -f lavfi -i "$TONE" -c:a libvorbis -q:a 2 \
        -metadata "METADATA_BLOCK_PICTURE=$(cover_picture_block "$cover" 150 150)" \
        "${AV_EXACT[@]}" "$OUT/audio-cover.ogg"
    python3 "$HOSTILE_HELPER" empty-wav "$OUT/empty.wav"
}

# --------------------------------------------------------------------------
# PDFs, written by hand (no PDF library needed) with correct xref tables.
# --------------------------------------------------------------------------

# write_pdf OUTFILE OBJECT...: objects are numbered 1.. in the order given;
# object 1 must be the catalog.
write_pdf() {
    local pdf=$1 LC_ALL=C
    shift
    local -a objects=("$@") offsets=()
    local body i offset
    body=$'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
    for i in "${!objects[@]}"; do
        offsets+=("${#body}")
        body+="$((i + 1)) 0 obj"$'\n'"${objects[i]}"$'\nendobj\n'
    done
    local xref_at=${#body}
    body+="xref"$'\n'"0 $((${#objects[@]} + 1))"$'\n'"0000000000 65535 f "$'\n'
    for offset in "${offsets[@]}"; do
        printf -v i '%010d 00000 n \n' "$offset"
        body+=$i
    done
    body+="trailer"$'\n'"<< /Size $((${#objects[@]} + 1)) /Root 1 0 R >>"$'\n'
    body+="startxref"$'\n'"$xref_at"$'\n%%EOF\n'
    printf '%s' "$body" >"$pdf"
}

# pdf_stream CONTENT [DICT-ENTRIES]: an uncompressed stream object.
pdf_stream() {
    local LC_ALL=C
    printf '<< %s/Length %d >>\nstream\n%s\nendstream' "${2:+$2 }" "${#1}" "$1"
}

readonly PDF_CATALOG='<< /Type /Catalog /Pages 2 0 R >>'
readonly PDF_HELVETICA='<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'

# Minimal valid one-page PDF (300x100 pt, one line of text).
gen_pdf() {
    write_pdf "$1" "$PDF_CATALOG" \
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' \
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>' \
        "$(pdf_stream 'BT /F1 24 Tf 20 40 Td (Mediary fixture PDF) Tj ET')" \
        "$PDF_HELVETICA"
}

gen_pdfs() {
    # document.pdf: 3 pages; page 1 is US letter (612x792 pt) with a blue
    # rectangle (72..540 x 360..720 pt) and a red one (72..216 x 72..216 pt)
    # on white, pages 2 and 3 are A4 with text only.
    local page='<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 9 0 R >> >>'
    write_pdf "$OUT/document.pdf" "$PDF_CATALOG" \
        '<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>' \
        "$page /MediaBox [0 0 612 792] /Contents 6 0 R >>" \
        "$page /MediaBox [0 0 595 842] /Contents 7 0 R >>" \
        "$page /MediaBox [0 0 595 842] /Contents 8 0 R >>" \
        "$(pdf_stream '0 0 1 rg 72 360 468 360 re f 1 0 0 rg 72 72 144 144 re f 0 g BT /F1 24 Tf 72 740 Td (Mediary fixture document, page 1) Tj ET')" \
        "$(pdf_stream 'BT /F1 24 Tf 72 780 Td (Page 2) Tj ET')" \
        "$(pdf_stream 'BT /F1 24 Tf 72 780 Td (Page 3) Tj ET')" \
        "$PDF_HELVETICA"

    # giant-page.pdf: a 200000x200000 pt page (about 70 m square): rendered
    # at its own 150 dpi it would be 416666 px square, a "pixel bomb".
    write_pdf "$OUT/giant-page.pdf" "$PDF_CATALOG" \
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' \
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200000 200000] /Contents 4 0 R >>' \
        "$(pdf_stream '0 0.5 0 rg 0 0 100000 100000 re f')"

    # slow-render.pdf: a "billion laughs" of form XObjects, tiny but endless
    # to render: the page draws form 5 once, form N draws form N+1 ten times,
    # and the last form fills a rectangle: 10^10 fills.  pdfinfo does not
    # render, so it stays fast.
    local -a slow=("$PDF_CATALOG" '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>'
        "$(pdf_stream '/X Do')")
    local -r form_dict='/Type /XObject /Subtype /Form /BBox [0 0 612 792]'
    local object
    for ((object = 5; object < 15; object++)); do
        slow+=("$(pdf_stream "$(printf '/X Do %.0s' {1..10})" "$form_dict /Resources << /XObject << /X $((object + 1)) 0 R >> >>")")
    done
    slow+=("$(pdf_stream '0 0 1 rg 0 0 10 10 re f' "$form_dict")")
    write_pdf "$OUT/slow-render.pdf" "${slow[@]}"

    # broken.pdf: starts like a PDF, then is cut off inside the first object
    # (an interrupted upload): no xref, no trailer, nothing to reconstruct.
    head -c 48 -- "$OUT/document.pdf" >"$OUT/broken.pdf"
}

# --------------------------------------------------------------------------
# Run all generators in parallel (they write disjoint files), then wait.
# --------------------------------------------------------------------------
pids=()
bg() { "$@" & pids+=("$!"); }

bg gen_bomb
bg gen_photo
bg gen_big
bg gen_600x400
bg gen_exif_gps
bg gen_gifs
bg gen_fakes
bg gen_video
bg gen_audio
bg gen_pdfs

failed=0
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
((failed == 0)) || die "a fixture generator failed (see messages above)"

# --------------------------------------------------------------------------
# Self-check: decodable fixtures have the expected geometry / content.
# --------------------------------------------------------------------------
check_dims() { # FILE WIDTH HEIGHT
    local got
    got=$(vipsheader -f width "$OUT/$1" 2>/dev/null)x$(vipsheader -f height "$OUT/$1" 2>/dev/null) ||
        die "self-check: vipsheader cannot read $1"
    [[ $got == "$2x$3" ]] || die "self-check: $1 is $got, expected $2x$3"
}
check_field() { # FILE FIELD VALUE
    local got
    got=$(vipsheader -f "$2" "$OUT/$1" 2>/dev/null) || die "self-check: no $2 in $1"
    [[ $got == "$3" ]] || die "self-check: $1 $2=$got, expected $3"
}
check_bytes() { # FILE TEXT
    grep -qaF -- "$2" "$OUT/$1" || die "self-check: '$2' not found in $1"
}

check_dims photo-12mp-exif6.jpg 4000 3000
check_field photo-12mp-exif6.jpg orientation 6
for f in 600x400.jpg 600x400.png 600x400.webp 600x400.gif 600x400.heic 600x400.avif; do
    check_dims "$f" 600 400
done
check_field 600x400.png bands 4
check_field 600x400.gif n-pages 1
check_dims exif-gps.png 640 480
check_dims exif-gps.webp 640 480
check_dims static-comment.gif 320 240
check_dims animated.gif 128 128
check_field animated.gif n-pages 10
check_dims bomb-20000.png 20000 20000
check_dims gif-too-big.gif 1281 720
check_dims gif-private-extensions.gif 320 240
check_dims animated-16x16.gif 16 16
check_dims animated-17x17.gif 17 17
check_dims animated-1x64.gif 1 64
check_field animated-1x64.gif n-pages 5
check_field animated-huge-screen.gif n-pages 3
check_dims big-9000x4000.jpg 9000 4000
check_dims large-4000x2500.jpg 4000 2500
check_bytes photo-12mp-exif6.jpg MediaryTestCam
check_bytes photo-12mp-exif6.jpg XmpCreatorName
check_bytes photo-12mp-exif6.jpg IptcBylineName
check_bytes photo-12mp-exif6.jpg 'Fixture Artist Name'
for f in exif-gps.png exif-gps.webp; do
    check_bytes "$f" MediaryTestCam
    check_bytes "$f" XmpCreatorName
done
check_bytes static-comment.gif SECRET-GIF-COMMENT
check_bytes static-comment.gif 'XMP DataXMP'
check_bytes static-comment.gif SECRET-GIF-XMP
for f in MGKIPTC0000 MGK8BIM0000 'Fixture Person Name' 'GPS 48.8584,2.2945' HIDDEN-AFTER-END-CODE HIDDEN-AFTER-TRAILER 'XMP DataXMP'; do
    check_bytes gif-private-extensions.gif "$f"
done
check_bytes animated-huge-screen.gif MGKIPTC0000
[[ -s $OUT/truncated.jpg && ! -s $OUT/empty.jpg ]] || die "self-check: truncated/empty wrong"
# check_streams FILE EXPECTED: what ffprobe reports, one ';'-separated entry
# per stream (codec|type|width|height|pix_fmt|avg_frame_rate|attached_pic
# [|rotation]) and the format name last.
check_streams() {
    local got
    got=$(ffprobe -v error -of compact=p=0:nk=1 -show_entries \
        format=format_name:stream=codec_name,codec_type,width,height,pix_fmt,avg_frame_rate:stream_disposition=attached_pic:stream_side_data=rotation \
        "$OUT/$1" 2>/dev/null | paste -sd ';') || die "self-check: ffprobe cannot read $1"
    [[ $got == "$2" ]] || die "self-check: $1 probes as '$got', expected '$2'"
}
readonly MP4=mov,mp4,m4a,3gp,3g2,mj2
check_streams h264-aac.mp4         "h264|video|320|240|yuv420p|30/1|0;aac|audio|0/0|0;$MP4"
check_streams quicktime.mov        "h264|video|320|240|yuv420p|30/1|0;aac|audio|0/0|0;$MP4"
check_streams silent.mp4           "h264|video|320|240|yuv444p|30/1|0;$MP4"
check_streams webm-with-audio.webm "vp9|video|320|240|yuv420p|30/1|0;opus|audio|0/0|0;matroska,webm"
check_streams rotated-90.mp4       "h264|video|320|240|yuv420p|30/1|0|90;aac|audio|0/0|0;$MP4"
check_streams 960x540.mp4          "h264|video|960|540|yuv420p|30/1|0;$MP4"
check_streams fps-240.mp4          "h264|video|160|120|yuv420p|240/1|0;$MP4"
check_streams too-many-pixels.mp4  "h264|video|4096|2048|yuv420p|10/1|0;$MP4"
check_streams audio-only.ogg       "vorbis|audio|0/0|0;ogg"
check_streams audio.mp3            "mp3|audio|0/0|0;mp3"
check_streams audio-only.webm      "opus|audio|0/0|0;matroska,webm"
check_streams audio-cover.mp3      "mp3|audio|0/0|0;png|video|150|150|rgb24|0/0|1;mp3"
check_streams audio-cover.ogg      "vorbis|audio|0/0|0;png|video|150|150|rgb24|0/0|1;ogg"
grep -q '^#EXTM3U' -- "$OUT/playlist-as.mp4" || die "self-check: playlist-as.mp4 is not a playlist"
! ffprobe -v quiet "$OUT/truncated.mp4" || die "self-check: truncated.mp4 is still readable"
# check_pdf FILE "PAGES WIDTHxHEIGHT": page count and first page size per pdfinfo.
check_pdf() {
    local got
    got=$(pdfinfo -f 1 -l 1 -- "$OUT/$1" 2>/dev/null |
        sed -n -e 's/^Pages: *//p' -e 's/^Page *1 size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1x\2/p' | paste -sd ' ') ||
        die "self-check: pdfinfo cannot read $1"
    [[ $got == "$2" ]] || die "self-check: $1 is '$got', expected '$2'"
}
check_pdf document.pdf    "3 612x792"
check_pdf giant-page.pdf  "1 200000x200000"
check_pdf slow-render.pdf "1 612x792"
check_pdf pdf-as.png      "1 300x100"
! pdfinfo -- "$OUT/broken.pdf" >/dev/null 2>&1 || die "self-check: broken.pdf is readable"
bomb_size=$(stat -c %s -- "$OUT/bomb-20000.png")
((bomb_size < 1024 * 1024)) || die "self-check: bomb-20000.png unexpectedly large ($bomb_size bytes)"

# --------------------------------------------------------------------------
# Publish atomically.
# --------------------------------------------------------------------------
printf '%s\n' "$STAMP" >"$OUT/.complete"
rm -rf -- "$OUTDIR"
mv -T -- "$OUT" "$OUTDIR"

printf 'make-fixtures.sh: wrote %s in %ss\n' "$OUTDIR" "$((SECONDS - start_seconds))" >&2
