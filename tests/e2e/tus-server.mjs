// What tus-flow.mjs and uppy-flow.mjs ask of the server besides their clients' own requests: plain tus requests
// (HEAD, PATCH, DELETE with any token), the media the upload became, and the stored file's streams.
// `server` is { baseUrl, token, ffmpeg, workDirectory }.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { sleep } from "./harness.mjs";

/** A request with the tus header and a bearer token (the server's by default); the body is read. */
export async function tusRequest(server, method, url, { bearer = server.token, headers = {}, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${bearer}`, ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response;
}

/**
 * Polls GET /api/v1/media/:id until the server answers 200 (Mastodon: 206 while processing), then
 * checks what every upload here must be: a video with a url.
 */
export async function waitUntilProcessed(server, id) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await fetch(`${server.baseUrl}/api/v1/media/${id}`, { headers: { Authorization: `Bearer ${server.token}` } });
    const media = await response.json();
    if (response.status === 200) {
      assert.equal(media.type, "video", `media ${id}: ${JSON.stringify(media)}`);
      assert.ok(media.url, `media ${id} is processed but has no url: ${JSON.stringify(media)}`);
      return media;
    }
    assert.equal(response.status, 206, `GET /api/v1/media/${id}: HTTP ${response.status} ${JSON.stringify(media)}`);
    assert.ok(Date.now() < deadline, `media ${id} still not processed: ${JSON.stringify(media)}`);
    await sleep(500);
  }
}

/**
 * ffmpeg's SHA-256 over each stream's packets. The server keeps a passthrough MP4's streams but
 * writes a fresh container (no metadata, moov first), so the stored file's own SHA-256 cannot
 * equal the upload's; its packets do, and only if every byte of the upload arrived once and in order.
 */
export async function streamHashes(ffmpeg, input) {
  const { stdout } = await promisify(execFile)(ffmpeg,
    ["-nostdin", "-hide_banner", "-loglevel", "error", "-i", input, "-map", "0", "-c", "copy", "-f", "streamhash", "-hash", "sha256", "-"],
    { maxBuffer: 1024 * 1024 });
  return stdout.trim();
}

/** The stored file is an MP4 whose streams are the uploaded file's, packet for packet. */
export async function assertStoredStreams(server, media, expectedStreams, what) {
  const file = await fetch(media.url, { signal: AbortSignal.timeout(30_000) });
  assert.equal(file.status, 200, `GET ${media.url}: HTTP ${file.status}`);
  assert.match(file.headers.get("content-type") ?? "", /^video\/mp4/);
  const bytes = Buffer.from(await file.arrayBuffer());
  assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp", `${what}: the stored file is not an MP4`);
  const stored = path.join(server.workDirectory, `${media.id}.mp4`);
  await writeFile(stored, bytes);
  // Passthrough keeps every packet: equal hashes show both that no transcode ran and that the upload was intact.
  assert.equal(await streamHashes(server.ffmpeg, stored), expectedStreams, `${what}: the stored video's streams differ from the file's`);
}
