#!/usr/bin/env python3
"""bench/count-proxy.py: a counting TCP proxy for HTTP/1.1 between Mediary and an S3 server.

    count-proxy.py LISTEN_PORT UPSTREAM_HOST:PORT CONTROL_PORT [REQUEST_LOG]

Bytes are forwarded untouched (so SigV4 signatures, keep-alive, Expect: 100-continue and
chunked bodies all work as without the proxy); a parser beside the byte pump frames each
request and response, so that the bytes read from the bucket can be told apart from the rest:
the bodies of GET responses are what Mediary downloaded (objects, and listings, which the
request log tells apart by path), while the answers to HEAD, PUT, DELETE and the multipart
POSTs are bookkeeping. Wire totals (headers and chunk framing included) are counted too, for
both directions.

GET http://127.0.0.1:CONTROL_PORT/counters answers the cumulative counters as JSON (callers
diff two snapshots, so nothing needs resetting while a request may be in flight); in_flight and
idle_seconds say whether the bucket traffic has settled. On SIGTERM the totals go to stdout.
With REQUEST_LOG, one line per response: method, path (no query string: presigned or signed
parameters are noise), status, body bytes.

Python 3 standard library only; one thread per direction per connection.
"""
import http.server
import json
import signal
import socket
import sys
import threading
import time
from collections import deque

LOCK = threading.Lock()
COUNTERS = {
    "connections": 0,
    "in_flight": 0,                 # requests sent upstream whose response has not ended yet
    "wire_down": 0,                 # every byte bucket -> Mediary
    "wire_up": 0,                   # every byte Mediary -> bucket
    "requests": {},                 # method -> count
    "response_body_bytes": {},      # method -> body bytes bucket -> Mediary
    "request_body_bytes": {},       # method -> body bytes Mediary -> bucket
}
LAST_ACTIVITY = [time.monotonic()]
REQUEST_LOG = None


def add(name, method, n):
    table = COUNTERS[name]
    table[method] = table.get(method, 0) + n


def snapshot():
    with LOCK:
        data = json.loads(json.dumps(COUNTERS))
        data["idle_seconds"] = round(time.monotonic() - LAST_ACTIVITY[0], 3)
    data["get_body_bytes"] = data["response_body_bytes"].get("GET", 0)
    return data


class Framer:
    """Incremental HTTP/1.1 message framing: calls on_head(start_line, headers) at each head,
    on_body(n) for the n payload bytes seen (chunk framing excluded), on_end() at each message's
    end. body_mode(start_line, headers) says how the message's body is delimited."""

    def __init__(self, body_mode, on_head, on_body, on_end):
        self.body_mode, self.on_head, self.on_body, self.on_end = body_mode, on_head, on_body, on_end
        self.state, self.buf, self.left = "head", b"", 0

    def feed(self, data):
        while data:
            if self.state == "head":
                self.buf += data
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                head, data, self.buf = self.buf[:end], self.buf[end + 4:], b""
                lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                self.on_head(lines[0], headers)
                mode, length = self.body_mode(lines[0], headers)
                if mode == "none" or (mode == "length" and length == 0):
                    self.on_end()
                elif mode == "length":
                    self.state, self.left = "length", length
                elif mode == "chunked":
                    self.state = "chunk-size"
                else:
                    self.state = "close"
            elif self.state == "length":
                n = min(self.left, len(data))
                self.on_body(n)
                self.left -= n
                data = data[n:]
                if self.left == 0:
                    self.state = "head"
                    self.on_end()
            elif self.state == "close":          # body delimited by the connection's end
                self.on_body(len(data))
                return
            elif self.state in ("chunk-size", "trailer"):
                self.buf += data
                end = self.buf.find(b"\r\n")
                if end < 0:
                    return
                line, data, self.buf = self.buf[:end], self.buf[end + 2:], b""
                if self.state == "trailer":
                    if not line:                  # the empty line that ends the trailers
                        self.state = "head"
                        self.on_end()
                else:
                    size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                    self.state, self.left = ("trailer", 0) if size == 0 else ("chunk-data", size)
            elif self.state == "chunk-data":
                n = min(self.left, len(data))
                self.on_body(n)
                self.left -= n
                data = data[n:]
                if self.left == 0:
                    self.state, self.left = "chunk-crlf", 2
            elif self.state == "chunk-crlf":
                n = min(self.left, len(data))
                self.left -= n
                data = data[n:]
                if self.left == 0:
                    self.state = "chunk-size"

    def closed(self):
        if self.state == "close":
            self.state = "head"
            self.on_end()


def framed_length(headers):
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return "chunked", 0
    if "content-length" in headers:
        return "length", int(headers["content-length"])
    return None, 0


class Connection:
    """One accepted connection and a connection of its own to the upstream: a pump per
    direction, each with a framer, so requests and their responses pair up in order."""

    def __init__(self, client, upstream_addr):
        self.client = client
        self.upstream = socket.create_connection(upstream_addr)
        for s in (self.client, self.upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # Methods of the requests sent, oldest first: a response answers the oldest unanswered one.
        self.pending = deque()
        self.req_method = None
        self.resp = None        # [method, path, status, body bytes] of the response being read
        self.open_response = False
        self.requests = Framer(self.request_mode, self.request_head, self.request_body, lambda: None)
        self.responses = Framer(self.response_mode, self.response_head, self.response_body, self.response_end)

    # Requests: a body only when framed (Content-Length or chunked).
    def request_mode(self, _line, headers):
        mode, length = framed_length(headers)
        return (mode or "none"), length

    def request_head(self, line, _headers):
        parts = line.split(" ")
        method, path = parts[0], (parts[1] if len(parts) > 1 else "?").split("?", 1)[0]
        self.req_method = method
        self.pending.append((method, path))
        with LOCK:
            add("requests", method, 1)
            COUNTERS["in_flight"] += 1

    def request_body(self, n):
        with LOCK:
            add("request_body_bytes", self.req_method, n)

    # Responses: none for HEAD, 1xx, 204 and 304; else framed, or until the connection closes.
    def response_mode(self, line, headers):
        status = self.status(line)
        if 100 <= status < 200 or status in (204, 304) or self.resp[0] == "HEAD":
            return "none", 0
        mode, length = framed_length(headers)
        return (mode or "close"), length

    @staticmethod
    def status(line):
        try:
            return int(line.split(" ")[1])
        except (IndexError, ValueError):
            return 0

    def response_head(self, line, _headers):
        status = self.status(line)
        if 100 <= status < 200:               # 100 Continue: the final answer is still to come
            self.resp = ["-", "-", status, 0]
            return
        # A response with no request left to answer happens when a client gives up mid-body and
        # the server answers the rest as garbage (400): logged, but it was never in flight.
        self.open_response = bool(self.pending)
        method, path = self.pending.popleft() if self.pending else ("?", "?")
        self.resp = [method, path, status, 0]

    def response_body(self, n):
        self.resp[3] += n
        with LOCK:
            add("response_body_bytes", self.resp[0], n)

    def response_end(self):
        method, path, status, body = self.resp
        if 100 <= status < 200:
            return
        with LOCK:
            COUNTERS["in_flight"] -= self.open_response
            self.open_response = False
            LAST_ACTIVITY[0] = time.monotonic()
            if REQUEST_LOG:
                REQUEST_LOG.write(f"{time.time():.3f} {method} {path} {status} {body}\n")
                REQUEST_LOG.flush()

    def pump(self, source, target, framer, wire):
        try:
            while True:
                data = source.recv(1 << 16)
                if not data:
                    break
                # Parsed before it is forwarded, so a request's method is queued before its answer can come.
                framer.feed(data)
                with LOCK:
                    COUNTERS[wire] += len(data)
                    LAST_ACTIVITY[0] = time.monotonic()
                target.sendall(data)
        except OSError:
            pass
        finally:
            framer.closed()
            try:
                target.shutdown(socket.SHUT_WR)   # pass the half-close on; the other direction may go on
            except OSError:
                pass

    def run(self):
        down = threading.Thread(target=self.pump, args=(self.upstream, self.client, self.responses, "wire_down"), daemon=True)
        down.start()
        self.pump(self.client, self.upstream, self.requests, "wire_up")
        down.join()
        with LOCK:
            # Requests that never got a whole answer (connection dropped) are no longer in flight.
            COUNTERS["in_flight"] -= len(self.pending) + self.open_response
        self.client.close()
        self.upstream.close()


def serve_proxy(listener, upstream_addr):
    while True:
        client, _ = listener.accept()
        with LOCK:
            COUNTERS["connections"] += 1

        def handle(client=client):
            try:
                conn = Connection(client, upstream_addr)
            except OSError:
                client.close()
                return
            conn.run()

        threading.Thread(target=handle, daemon=True).start()


class Control(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/counters":
            self.send_error(404)
            return
        body = json.dumps(snapshot()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def main():
    global REQUEST_LOG
    listen_port, upstream, control_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    host, port = upstream.rsplit(":", 1)
    if len(sys.argv) > 4:
        REQUEST_LOG = open(sys.argv[4], "a", encoding="utf-8")

    def on_term(_sig, _frame):
        print(json.dumps(snapshot()), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(128)
    threading.Thread(target=serve_proxy, args=(listener, (host, int(port))), daemon=True).start()
    control = http.server.ThreadingHTTPServer(("127.0.0.1", control_port), Control)
    control.serve_forever()


if __name__ == "__main__":
    main()
