// The web client's own origin for uppy-flow.mjs: a static server on 127.0.0.1 (another port than
// Mediary's) that serves a page with a file input and the esbuild bundle of uppy-page.mjs.

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";

const page = `<!DOCTYPE html>
<html lang="en">
<meta charset="utf-8">
<title>Upload a video with Uppy</title>
<link rel="icon" href="data:,">
<label>Video <input type="file" id="file" accept="video/*"></label>
<script type="module" src="/uppy-page.js"></script>
</html>`;

/** Starts the server; `url` is the page's address. */
export async function startPageServer(bundlePath) {
  const bundle = await readFile(bundlePath);
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, "http://localhost");
    if (request.method !== "GET") return response.writeHead(405).end();
    if (pathname === "/") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      return response.end(page);
    }
    if (pathname === "/uppy-page.js") {
      response.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" });
      return response.end(bundle);
    }
    response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
