#!/usr/bin/env python3
"""bench/tus-client.py: the client of bench/resumable-upload.sh. Python 3 standard library only.

    tus-client.py tus URL FILE [--chunk BYTES] [--cut-at BYTES --cut-how close|silent] [--rss-pid PID]
    tus-client.py put URL FILE [--content-type TYPE] [--rss-pid PID]

tus: a tus 1.0.0 upload to an upload URL that already exists (the direct API's
resumable_upload_url), as tus-js-client does when given uploadUrl: HEAD for the offset, then
PATCHes of --chunk bytes (the last one shorter) from there, all on one kept-alive connection.
Each PATCH must answer 204 with the Upload-Offset it ended at.

With --cut-at N the connection is cut once N bytes of the file have been sent, in the middle of
the PATCH that holds byte N: --cut-how close closes the socket (the server sees the body end
early); --cut-how silent stops sending and leaves the socket open, as a connection lost on the
way does (the server hears nothing; the resuming HEAD takes the upload over). Then a new
connection: HEAD, and PATCHes of the rest from the offset HEAD answered.

put: the whole file in one PUT (Content-Type as declared), through the same send loop: the same
client code as tus, one request. Must answer 200.

The body is read from the file into one 64 KiB buffer and sent as it is read (curl's upload buffer
is 64 KiB too), never the whole file in memory; TCP_NODELAY as curl and browsers set it. The clock
runs from before the first connect to the end of the last answer. With --rss-pid the server's
VmRSS is sampled every 50 ms meanwhile. Prints one line of JSON.
"""
import argparse
import http.client
import json
import socket
import threading
import time
import urllib.parse

BLOCK = 64 * 1024
TUS = {"Tus-Resumable": "1.0.0"}


class RssSampler(threading.Thread):
    """The largest VmRSS of a process seen while running, read from /proc every interval."""

    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.path, self.interval = f"/proc/{pid}/status", interval
        self.peak_kb, self.first_kb, self.last_kb, self.samples = 0, None, None, 0
        self.done = threading.Event()

    def read(self):
        try:
            with open(self.path, encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def run(self):
        while True:
            kb = self.read()
            if kb is not None:
                self.peak_kb = max(self.peak_kb, kb)
                self.first_kb = kb if self.first_kb is None else self.first_kb
                self.last_kb, self.samples = kb, self.samples + 1
            if self.done.wait(self.interval):
                return

    def stop(self):
        self.done.set()
        self.join()
        kb = self.read()   # one last sample, after the last answer
        if kb is not None:
            self.peak_kb, self.last_kb, self.samples = max(self.peak_kb, kb), kb, self.samples + 1


class Client:
    def __init__(self, url, path):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.target = parts.path + ("?" + parts.query if parts.query else "")
        self.file = open(path, "rb", buffering=0)   # unbuffered: readinto is one read(2)
        self.size = self.file.seek(0, 2)
        self.buf = bytearray(BLOCK)
        self.conn = None
        self.connections = 0
        self.requests = {}
        self.body_bytes_sent = 0        # file bytes handed to the kernel, over all connections
        self.patch_seconds = []

    def connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connections += 1

    def start(self, method, headers):
        self.requests[method] = self.requests.get(method, 0) + 1
        self.conn.putrequest(method, self.target, skip_accept_encoding=True)
        for name, value in headers.items():
            self.conn.putheader(name, value)
        self.conn.endheaders()

    def send(self, offset, count):
        """Sends count bytes of the file from offset on the open request, one block at a time."""
        self.file.seek(offset)
        view, sock = memoryview(self.buf), self.conn.sock
        while count:
            n = self.file.readinto(view[:min(count, BLOCK)])
            if not n:
                raise SystemExit(f"the file ended early at {offset}")
            sock.sendall(view[:n])
            offset += n
            count -= n
            self.body_bytes_sent += n

    def answer(self, method, want):
        response = self.conn.getresponse()
        response.read()
        if response.status != want:
            raise SystemExit(f"{method} answered {response.status}, not {want}: {response.headers}")
        return response

    def head(self):
        self.start("HEAD", TUS)
        response = self.answer("HEAD", 200)
        if int(response.headers.get("Upload-Length", -1)) != self.size:
            raise SystemExit(f"HEAD: Upload-Length {response.headers.get('Upload-Length')}, the file has {self.size} bytes")
        return int(response.headers["Upload-Offset"])

    def patch_headers(self, offset, count):
        return {**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
                "Content-Length": str(count)}

    def patches(self, offset, chunk):
        while offset < self.size:
            count = min(chunk, self.size - offset)
            t0 = time.perf_counter()
            self.start("PATCH", self.patch_headers(offset, count))
            self.send(offset, count)
            response = self.answer("PATCH", 204)
            self.patch_seconds.append(time.perf_counter() - t0)
            got = int(response.headers.get("Upload-Offset", -1))
            if got != offset + count:
                raise SystemExit(f"PATCH at {offset} of {count} bytes answered Upload-Offset {got}")
            offset = got
        return offset

    def cut_patches(self, chunk, cut_at, how):
        """PATCHes from 0 until byte cut_at has been sent, in the middle of its PATCH; then the cut."""
        offset = 0
        while offset + chunk <= cut_at:
            count = min(chunk, self.size - offset)
            self.start("PATCH", self.patch_headers(offset, count))
            self.send(offset, count)
            offset = int(self.answer("PATCH", 204).headers["Upload-Offset"])
        count = min(chunk, self.size - offset)
        self.start("PATCH", self.patch_headers(offset, count))
        self.send(offset, cut_at - offset)
        dropped = self.conn
        if how == "close":
            dropped.close()
            return None
        return dropped   # silent: kept open, unread, until the upload is over

    def put(self, content_type):
        self.start("PUT", {"Content-Type": content_type, "Content-Length": str(self.size)})
        self.send(0, self.size)
        self.answer("PUT", 200)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["tus", "put"])
    parser.add_argument("url")
    parser.add_argument("file")
    parser.add_argument("--chunk", type=int, default=8 * 1024 * 1024)
    parser.add_argument("--cut-at", type=int)
    parser.add_argument("--cut-how", choices=["close", "silent"], default="close")
    parser.add_argument("--content-type", default="video/mp4")
    parser.add_argument("--rss-pid", type=int)
    args = parser.parse_args()

    client = Client(args.url, args.file)
    sampler = RssSampler(args.rss_pid) if args.rss_pid else None
    if sampler:
        sampler.start()
    result = {"mode": args.mode, "size": client.size}
    t0 = time.perf_counter()
    client.connect()
    if args.mode == "put":
        client.put(args.content_type)
    elif args.cut_at is None:
        start = client.head()
        if start != 0:
            raise SystemExit(f"HEAD answered Upload-Offset {start} for a new upload")
        result["offset"] = client.patches(start, args.chunk)
    else:
        if client.head() != 0:
            raise SystemExit("HEAD: the upload is not new")
        dropped = client.cut_patches(args.chunk, args.cut_at, args.cut_how)
        result["sent_before_cut"] = client.body_bytes_sent
        client.connect()
        resume_at = client.head()
        result["head_offset_after_cut"] = resume_at
        result["offset"] = client.patches(resume_at, args.chunk)
        if dropped is not None:
            dropped.close()
    result["seconds"] = time.perf_counter() - t0
    client.conn.close()
    if sampler:
        sampler.stop()
        result.update(peak_rss_kb=sampler.peak_kb, first_rss_kb=sampler.first_kb, last_rss_kb=sampler.last_kb,
                      rss_samples=sampler.samples)
    if client.patch_seconds:
        times = sorted(client.patch_seconds)
        result.update(patch_ms_median=1000 * times[len(times) // 2], patch_ms_max=1000 * times[-1])
    result.update(connections=client.connections, requests=client.requests, body_bytes_sent=client.body_bytes_sent)
    if result.get("offset", client.size) != client.size:
        raise SystemExit(f"the upload ended at {result['offset']} of {client.size}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
