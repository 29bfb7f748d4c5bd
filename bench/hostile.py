#!/usr/bin/env python3
"""Hostile uploads for bench/noisy-neighbour.sh, written from ordinary files. Standard library only.

  hostile.py jpeg-scans IN.jpg OUT.jpg SCANS
      IN (a grey progressive JPEG from libvips) with SCANS empty AC scans added before its end:
      one Huffman table with a single code, for end-of-band runs of at most 32,767 blocks, repeated
      over every block of the image. Each scan is decoded in full, in a few bytes.
  hostile.py jpeg-scan-count IN.jpg
      Prints how many scans (SOS markers) IN has, read from its markers.
  hostile.py gif-frames WIDTH HEIGHT FRAMES OUT.gif
      A WIDTHxHEIGHT animation of FRAMES frames, each a 1x1 image changing one pixel, at
      positions spread over the whole screen (so its frames' bounds are the whole screen).
"""

import struct
import sys


def read_segments(data):
    """(marker, start, end) of every marker segment up to the first scan's header, and where it ends."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    i = 2
    while True:
        assert data[i] == 0xFF
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        yield marker, i, i + 2 + length
        i += 2 + length
        if marker == 0xDA:
            return


def dimensions(data):
    for marker, start, _ in read_segments(data):
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[start + 5:start + 9])
            return width, height
    raise ValueError("no frame header")


class Bits:
    def __init__(self):
        self.value, self.count, self.out = 0, 0, bytearray()

    def put(self, value, count):
        self.value, self.count = (self.value << count) | value, self.count + count
        while self.count >= 8:
            self.count -= 8
            byte = (self.value >> self.count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)  # byte stuffing

    def finish(self):
        if self.count:
            self.put((1 << (8 - self.count)) - 1, 8 - self.count)  # pad with ones
        return bytes(self.out)


def scan_count(data):
    """Scans (SOS markers) of a JPEG: segments skipped by their length, scan data up to the next marker."""
    i, scans = 2, 0
    while i < len(data) - 1:
        if data[i] != 0xFF or data[i + 1] in (0x00, 0x01, 0xD8, 0xFF) or 0xD0 <= data[i + 1] <= 0xD7:
            i += 1
            continue
        if data[i + 1] == 0xD9:
            break
        scans += data[i + 1] == 0xDA
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return scans


def jpeg_scans(source, target, scans):
    data = open(source, "rb").read()
    assert data[-2:] == b"\xff\xd9"
    width, height = dimensions(data)
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    # The image's blocks as end-of-band runs of at most 32,767 (symbol r << 4: a run of 2^r plus r extra bits).
    bits = Bits()
    left = blocks
    runs = []
    while left:
        run = min(left, 32767)
        runs.append(run)
        left -= run
    # AC table 0: the symbols used, each a canonical code of length 4.
    used = sorted({run.bit_length() - 1 for run in runs})
    counts = [0] * 16
    counts[3] = len(used)  # all codes have length 4
    table = bytes([0x10]) + bytes(counts) + bytes(r << 4 for r in used)
    dht = b"\xff\xc4" + struct.pack(">H", 2 + len(table)) + table
    codes = {r: i for i, r in enumerate(used)}
    for run in runs:
        r = run.bit_length() - 1
        bits.put(codes[r], 4)
        if r:
            bits.put(run - (1 << r), r)
    scan_data = bits.finish()
    sos = b"\xff\xda\x00\x08\x01\x01\x00\x01\x3f\x00"
    with open(target, "wb") as out:
        out.write(data[:-2])
        out.write(dht)
        out.write((sos + scan_data) * scans)
        out.write(b"\xff\xd9")


def gif_frames(width, height, frames, target):
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", width, height, 0xF0, 0, 0)  # global table of 2 colours
    out += b"\x00\x00\x00\xff\xff\xff"
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for i in range(frames):
        x = (i * 7919) % width
        y = (i * 104729 // width) % height
        out += b"\x21\xf9\x04\x04\x02\x00\x00\x00"  # graphic control: keep, 2/100 s
        out += b"\x2c" + struct.pack("<HHHHB", x, y, 1, 1, 0)
        # LZW with minimum code size 2: clear (4), the pixel (colour 0 or 1), end (5); 3-bit codes, LSB first.
        codes = [(4, 3), (i % 2, 3), (5, 3)]
        value, count, data = 0, 0, bytearray()
        for code, size in codes:
            value |= code << count
            count += size
            while count >= 8:
                data.append(value & 0xFF)
                value >>= 8
                count -= 8
        if count:
            data.append(value & 0xFF)
        out += b"\x02" + bytes([len(data)]) + data + b"\x00"
    out += b"\x3b"
    open(target, "wb").write(out)


def main(argv):
    if argv[1] == "jpeg-scans":
        jpeg_scans(argv[2], argv[3], int(argv[4]))
    elif argv[1] == "jpeg-scan-count":
        print(scan_count(open(argv[2], "rb").read()))
    elif argv[1] == "gif-frames":
        gif_frames(int(argv[2]), int(argv[3]), int(argv[4]), argv[5])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
