// A loopback HTTP proxy in front of the server for the tus tests: it forwards every request and
// response unchanged, counts the request body bytes it forwards (in total and per request), and
// can cut a PATCH after N body bytes, as a mobile link that dies mid-upload would.
//
// Its upstream requests are node:http's, which report every interim (1xx) answer the server sends:
// they are recorded per request (`informational`), not forwarded.
//
// The Host header is forwarded as the client sent it, so the server's absolute Location points
// back at the proxy; a Location naming the server's own origin is rewritten to the proxy's too.

import http from "node:http";

/**
 * Starts the proxy on 127.0.0.1 (a free port) in front of `target` (e.g. "http://127.0.0.1:5099").
 * Returns { url, requests, totalBodyBytes(), bodyBytesSince(index), cutNextPatchAfter(bytes), close() }.
 * `requests` lists { method, path, offset, bodyBytes, status, headers, informational, cut } in arrival order:
 * `offset` is the request's Upload-Offset, `headers` the response's, `informational` the status codes of
 * the server's 1xx answers before it.
 */
export async function startTusProxy(target) {
  const targetUrl = new URL(target);
  const requests = [];
  let cutAfter = null;
  let proxyOrigin = "";

  const server = http.createServer((clientRequest, clientResponse) => {
    const record = {
      method: clientRequest.method,
      path: clientRequest.url,
      offset: clientRequest.headers["upload-offset"] ?? null,
      bodyBytes: 0,
      status: null,
      headers: {},
      informational: [],
      cut: false,
    };
    requests.push(record);
    const cutAt = clientRequest.method === "PATCH" && cutAfter !== null ? cutAfter : null;
    if (cutAt !== null) cutAfter = null;

    const upstream = http.request({
      host: targetUrl.hostname,
      port: targetUrl.port,
      method: clientRequest.method,
      path: clientRequest.url,
      headers: clientRequest.headers,
      agent: false, // one upstream connection per request: a cut ends exactly one
    });

    clientRequest.on("data", (chunk) => {
      if (record.cut) return;
      if (cutAt !== null && record.bodyBytes + chunk.length >= cutAt) {
        record.cut = true;
        clientRequest.pause();
        const part = chunk.subarray(0, cutAt - record.bodyBytes);
        record.bodyBytes += part.length;
        // Send what arrived before the cut, then drop both connections.
        upstream.write(part, () => {
          upstream.destroy();
          clientRequest.socket.destroy();
        });
        return;
      }
      record.bodyBytes += chunk.length;
      if (!upstream.write(chunk)) {
        clientRequest.pause();
        upstream.once("drain", () => clientRequest.resume());
      }
    });
    clientRequest.on("end", () => {
      if (!record.cut) upstream.end();
    });
    clientRequest.on("error", () => upstream.destroy());
    // A client that gives up (tus-js-client's abort) ends the upstream request too.
    clientResponse.on("close", () => {
      if (!clientResponse.writableFinished) upstream.destroy();
    });

    upstream.on("information", (info) => record.informational.push(info.statusCode));
    upstream.on("response", (response) => {
      record.status = response.statusCode;
      record.headers = response.headers;
      const headers = { ...response.headers };
      if (typeof headers.location === "string" && headers.location.startsWith(targetUrl.origin)) {
        headers.location = proxyOrigin + headers.location.slice(targetUrl.origin.length);
      }
      clientResponse.writeHead(response.statusCode, response.statusMessage, headers);
      response.pipe(clientResponse);
    });
    upstream.on("error", (error) => {
      if (record.cut) return;
      record.status = 502;
      if (!clientResponse.headersSent) clientResponse.writeHead(502, { "content-type": "text/plain" });
      clientResponse.end(`tus-proxy: ${error.message}`);
    });
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  proxyOrigin = `http://127.0.0.1:${server.address().port}`;

  return {
    url: proxyOrigin,
    requests,
    totalBodyBytes: () => requests.reduce((sum, r) => sum + r.bodyBytes, 0),
    /** Body bytes of the requests from index `first` on (e.g. since a run began). */
    bodyBytesSince: (first) => requests.slice(first).reduce((sum, r) => sum + r.bodyBytes, 0),
    /** The next PATCH is cut once `bytes` of its body went to the server. */
    cutNextPatchAfter: (bytes) => {
      cutAfter = bytes;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
