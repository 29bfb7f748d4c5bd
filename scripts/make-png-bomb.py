#!/usr/bin/env python3
"""Write a valid but huge-on-decode PNG ("decompression bomb") test fixture.

Usage: make-png-bomb.py OUTFILE [WIDTH [HEIGHT]]   (defaults: 20000 x 20000)

The image is 8-bit greyscale (colour type 0), every pixel 0, every scanline
using filter type 0.  The IDAT data is a single zlib stream produced
incrementally, so memory use stays at a few MB no matter how large the
declared image is, while the file itself is tiny (deflate compresses runs of
zeros about 1000:1, so 20000x20000 gives roughly 390 KB).

The output is byte-for-byte deterministic: it contains no timestamps and the
zlib settings are fixed.  Standard library only.
"""

import struct
import sys
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
IDAT_CHUNK_SIZE = 64 * 1024      # split IDAT like ordinary encoders do
ROWS_PER_FEED = 64               # scanlines handed to zlib per call
PNG_MAX_DIMENSION = 2**31 - 1    # PNG spec limit for width/height


def write_chunk(out, tag, data):
    out.write(struct.pack(">I", len(data)))
    out.write(tag)
    out.write(data)
    crc = zlib.crc32(data, zlib.crc32(tag)) & 0xFFFFFFFF
    out.write(struct.pack(">I", crc))


def write_bomb(path, width, height):
    # IHDR: width, height, bit depth 8, colour type 0 (grey),
    # compression 0, filter 0, interlace 0.
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)

    # One scanline = filter byte (0 = None) + `width` zero samples.
    scanline = bytes(1 + width)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)

    with open(path, "wb") as out:
        out.write(PNG_SIGNATURE)
        write_chunk(out, b"IHDR", ihdr)

        pending = bytearray()

        def emit(data, final=False):
            pending.extend(data)
            while len(pending) >= IDAT_CHUNK_SIZE or (final and pending):
                piece = bytes(pending[:IDAT_CHUNK_SIZE])
                del pending[:IDAT_CHUNK_SIZE]
                write_chunk(out, b"IDAT", piece)

        rows_left = height
        batch = scanline * min(ROWS_PER_FEED, height)
        while rows_left >= ROWS_PER_FEED:
            emit(compressor.compress(batch))
            rows_left -= ROWS_PER_FEED
        if rows_left:
            emit(compressor.compress(scanline * rows_left))
        emit(compressor.flush(zlib.Z_FINISH), final=True)

        write_chunk(out, b"IEND", b"")


def parse_dimension(text, name):
    try:
        value = int(text)
    except ValueError:
        sys.exit(f"make-png-bomb.py: {name} must be an integer, got {text!r}")
    if not 1 <= value <= PNG_MAX_DIMENSION:
        sys.exit(f"make-png-bomb.py: {name} must be in 1..{PNG_MAX_DIMENSION}, got {value}")
    return value


def main(argv):
    if not 2 <= len(argv) <= 4:
        sys.exit("usage: make-png-bomb.py OUTFILE [WIDTH [HEIGHT]]")
    path = argv[1]
    width = parse_dimension(argv[2], "WIDTH") if len(argv) > 2 else 20000
    height = parse_dimension(argv[3], "HEIGHT") if len(argv) > 3 else width
    write_bomb(path, width, height)


if __name__ == "__main__":
    main(sys.argv)
