#!/usr/bin/env python3
"""Turn ordinary fixtures made by ffmpeg into hostile ones (called by make-fixtures.sh).

Usage:
  make-hostile-files.py private-gif IN.gif OUT.gif
      IN with ImageMagick's MGKIPTC0000 (IPTC By-line and caption) and MGK8BIM0000
      (a Photoshop IPTC resource) application extensions, both naming a person and
      "GPS 48.8584,2.2945", a plain text extension, bytes hidden after the frame's
      LZW end code and after the trailer.
  make-hostile-files.py huge-screen IN.gif OUT.gif
      IN (a 1x1 GIF) declaring a 65535x65535 logical screen.
  make-hostile-files.py animated-huge-screen IN.gif OUT.gif
      IN (an animation of 3 frames) declaring a 65535x65535 screen, with frame
      delays of 10, 30 and 60 hundredths, a loop count of 5, and an MGKIPTC0000
      extension.
  make-hostile-files.py empty-wav OUT.wav
      A valid WAV header (PCM, 16 bit, mono, 44.1 kHz) with no samples.

Deterministic; standard library only.
"""

import struct
import sys

PERSON = b"Fixture Person Name"
GPS = b"GPS 48.8584,2.2945"
HIDDEN = b"HIDDEN-AFTER-END-CODE"
TRAILING = b"HIDDEN-AFTER-TRAILER"


def sub_blocks(data):
    out = bytearray()
    for i in range(0, len(data), 255):
        chunk = data[i:i + 255]
        out += bytes([len(chunk)]) + chunk
    return bytes(out) + b"\0"


def application(identifier, payload):
    assert len(identifier) == 11
    return b"\x21\xff\x0b" + identifier + sub_blocks(payload)


def iptc(dataset, value):
    """An IPTC IIM record 2 dataset (2:80 By-line, 2:120 Caption)."""
    return struct.pack(">BBBH", 0x1C, 2, dataset, len(value)) + value


def blocks(gif):
    """(kind, start, end) of each block after the header and global colour table."""
    position = 13
    if gif[10] & 0x80:
        position += 3 * (1 << ((gif[10] & 7) + 1))
    while True:
        start = position
        kind = gif[position]
        if kind == 0x3B:
            yield "trailer", start, position + 1
            return
        if kind == 0x21:
            position += 2
        elif kind == 0x2C:
            packed = gif[position + 9]
            position += 10
            if packed & 0x80:
                position += 3 * (1 << ((packed & 7) + 1))
            position += 1  # LZW minimum code size
        else:
            raise ValueError("unexpected block 0x%02x" % kind)
        while gif[position]:
            position += 1 + gif[position]
        position += 1
        yield ("image" if kind == 0x2C else "extension %02x" % gif[start + 1]), start, position


def header_end(gif):
    return next(blocks(gif))[1]


def private_gif(gif):
    by_line = iptc(80, PERSON) + iptc(120, GPS)
    photoshop = b"8BIM" + struct.pack(">HBBI", 0x0404, 0, 0, len(by_line)) + by_line
    extensions = application(b"MGKIPTC0000", by_line) + application(b"MGK8BIM0000", photoshop)
    # A plain text extension (12-byte header, then the text) and a bare image data sub-block
    # after the end code, which decoders skip.
    plain_text = b"\x21\x01\x0c" + bytes(12) + sub_blocks(PERSON + b" " + GPS)
    out = bytearray(gif[:header_end(gif)] + extensions + plain_text)
    for kind, start, end in blocks(gif):
        if kind == "image":
            out += gif[start:end - 1] + bytes([len(HIDDEN)]) + HIDDEN + b"\0"
        elif kind == "trailer":
            out += b"\x3b" + TRAILING + b" " + PERSON + b" " + GPS
        else:
            out += gif[start:end]
    return bytes(out)


def huge_screen(gif):
    return gif[:6] + struct.pack("<HH", 65535, 65535) + gif[10:]


def animated_huge_screen(gif):
    delays = iter([10, 30, 60])
    out = bytearray(huge_screen(gif))
    head = header_end(out)
    out[head:head] = application(b"MGKIPTC0000", iptc(80, PERSON) + iptc(120, GPS))
    for kind, start, end in list(blocks(bytes(out))):
        if kind == "extension f9":
            struct.pack_into("<H", out, start + 4, next(delays))
        elif kind == "extension ff" and out[start + 3:start + 14] == b"NETSCAPE2.0":
            struct.pack_into("<H", out, start + 16, 5)
    assert next(delays, None) is None, "expected 3 frames"
    return bytes(out)


def empty_wav():
    fmt = struct.pack("<HHIIHH", 1, 1, 44100, 88200, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", 0)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def main(argv):
    if len(argv) == 3 and argv[1] == "empty-wav":
        data = empty_wav()
    elif len(argv) == 4 and argv[1] in ("private-gif", "huge-screen", "animated-huge-screen"):
        with open(argv[2], "rb") as source:
            gif = source.read()
        data = {"private-gif": private_gif, "huge-screen": huge_screen, "animated-huge-screen": animated_huge_screen}[argv[1]](gif)
    else:
        sys.exit(__doc__)
    with open(argv[-1], "wb") as target:
        target.write(data)


if __name__ == "__main__":
    main(sys.argv)
