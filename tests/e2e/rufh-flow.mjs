// End-to-end check of Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload, interop
// version 8) on POST /api/v2/media, with a raw client: Node's own `node:http`, which reports every
// interim (1xx) answer, and no npm package. The body is the multipart form a Mastodon client sends
// (an H.264/AAC MP4, description, focus): the POST carries its start, a PATCH the rest through the
// loopback proxy of tus-proxy.mjs, which counts the body bytes on the wire and cuts that PATCH in
// the middle; HEAD, a PATCH at a wrong offset, the resuming PATCH; then another interop version.
//
// Environment:
//   MEDIARY_URL     base URL of the server, e.g. http://127.0.0.1:5099
//   MEDIARY_TOKEN   bearer token with "write:media" and "read" scopes
//   MEDIARY_VIDEO   path of a 5-20 MB H.264/AAC yuv420p MP4 with moov first (a passthrough candidate)
//   MEDIARY_FFMPEG  ffmpeg to compare the stored video's streams with the file's (default: ffmpeg)
//   MEDIARY_WORK    a scratch directory (the stored video is downloaded there)
//
// Prints one line per step, then "RESULT {json}" (what the C# test checks); exits 1 with
// "FAIL <step>: <reason>" on the first failure.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { requireEnv, runFlow, sleep, step } from "./harness.mjs";
import { startTusProxy } from "./tus-proxy.mjs";
import { assertStoredStreams, streamHashes } from "./tus-server.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const token = requireEnv("MEDIARY_TOKEN");
const videoPath = requireEnv("MEDIARY_VIDEO");
const workDirectory = requireEnv("MEDIARY_WORK");
const ffmpeg = process.env.MEDIARY_FFMPEG || "ffmpeg";
const server = { baseUrl, token, ffmpeg, workDirectory };

const MiB = 1024 * 1024;
/** What the creating POST carries of the form. */
const FIRST_PART = 2 * MiB;
/** How far a PATCH at a wrong offset says it is ahead of the server, and the bytes it brings. */
const MISMATCH = 64 * 1024;
const VERSION = "8";
const DESCRIPTION = "A train — resumed after a cut";
const FOCUS = "0.5,-0.3";

/** Every interim answer any request of this flow received, as the client saw it: { request, status }. */
const interim = [];

/**
 * One request with node:http on a connection of its own. Resolves with { status, headers, body,
 * informational } or, when the connection fails (as a cut one does), with { error, informational }.
 */
function send(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const informational = [];
    const request = http.request(url, {
      method,
      agent: false,
      headers: {
        Authorization: `Bearer ${token}`,
        ...headers,
        ...(body ? { "Content-Length": String(body.length) } : {}),
      },
    });
    // node:http emits "information" for every 1xx answer but 101: this is where a 104 would show.
    request.on("information", (info) => {
      informational.push(info.statusCode);
      interim.push({ request: `${method} ${new URL(url).pathname}`, status: info.statusCode });
    });
    request.on("response", (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks), informational }));
      response.on("error", (error) => resolve({ error, informational }));
    });
    request.on("error", (error) => resolve({ error, informational }));
    request.setTimeout(60_000, () => request.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
    request.end(body);
  });
}

/** The draft's headers on every request of the flow; PATCHes add theirs. */
function draft(headers = {}, version = VERSION) {
  return { "Upload-Draft-Interop-Version": version, ...headers };
}

function patchHeaders(offset, complete) {
  return draft({ "Content-Type": "application/partial-upload", "Upload-Offset": String(offset), "Upload-Complete": complete ? "?1" : "?0" });
}

function answered(response, what) {
  assert.ok(!response.error, `${what}: ${response.error?.message}`);
  return `${what}: HTTP ${response.status} ${response.body.toString("utf8").slice(0, 500)}`;
}

function json(response, what) {
  assert.match(response.headers["content-type"] ?? "", /json/, `${what}: Content-Type ${response.headers["content-type"]}`);
  return JSON.parse(response.body.toString("utf8"));
}

/** The form as Mastodon's clients send it: the file first, then its description and focus. */
function multipartForm(video, description, focus) {
  const boundary = `----mediary-rufh-${randomUUID()}`;
  const field = (name, value) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="train.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
    video,
    Buffer.from("\r\n"),
    field("description", description),
    field("focus", focus),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** GET /api/v1/media/:id until 200 (Mastodon: 206 while processing). */
async function waitUntilProcessed(id) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await send(`${baseUrl}/api/v1/media/${id}`);
    const what = answered(response, `GET /api/v1/media/${id}`);
    if (response.status === 200) return json(response, what);
    assert.equal(response.status, 206, what);
    assert.ok(Date.now() < deadline, `still processing after 90 s: ${what}`);
    await sleep(500);
  }
}

function assertMediaJson(media, what) {
  assert.equal(media.type, "video", `${what}: ${JSON.stringify(media)}`);
  assert.equal(media.description, DESCRIPTION, `${what}: description`);
  assert.ok(Math.abs(media.meta?.focus?.x - 0.5) < 1e-6 && Math.abs(media.meta?.focus?.y + 0.3) < 1e-6,
    `${what}: meta.focus ${JSON.stringify(media.meta?.focus)}`);
}

async function main() {
  const video = await readFile(videoPath);
  const form = multipartForm(video, DESCRIPTION, FOCUS);
  const proxy = await startTusProxy(baseUrl);
  const results = { videoBytes: video.length, formBytes: form.body.length, firstPart: FIRST_PART };
  try {
    await flow(form, proxy, results, await streamHashes(ffmpeg, videoPath));
  } finally {
    await proxy.close();
    // Kestrel has no public API to send an interim response but the 100 Continue it sends itself
    // (dotnet/aspnetcore#27851), so Mediary sends no 104. The draft does not require one: a client
    // that gets none learns the upload resource from the final 201's Location, as this one does.
    // node:http reports every 1xx ("information"), so a 104 would show here if one came.
    const proxied = proxy.requests.flatMap((r) => r.informational.map((status) => ({ request: `${r.method} ${r.path}`, status })));
    results.interim = { client: interim, proxy: proxied };
    console.log(`RESULT ${JSON.stringify(results)}`);
  }
}

async function flow(form, proxy, results, expectedStreams) {
  const size = form.body.length;
  let location;
  let uploadUrl;

  // Straight to the server, not through the proxy (which records 1xx but cannot forward them): what
  // the client hears here is what the server sent.
  await step(`POST /api/v2/media, the form's first ${FIRST_PART} bytes, Upload-Complete: ?0: 201, Location, Upload-Limit`, async () => {
    const response = await send(`${baseUrl}/api/v2/media`, {
      method: "POST",
      headers: draft({ "Content-Type": form.contentType, "Upload-Complete": "?0", "Upload-Length": String(size) }),
      body: form.body.subarray(0, FIRST_PART),
    });
    const what = answered(response, "POST /api/v2/media");
    assert.ok(!response.informational.includes(104), `a 104 arrived: ${response.informational.join(", ")}`);
    assert.equal(response.status, 201, what);
    location = response.headers.location ?? "";
    assert.match(location, new RegExp(`^${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/api/v2/media/resumable/[A-Za-z0-9_-]+$`), `Location: ${location}`);
    assert.equal(response.headers["upload-offset"], String(FIRST_PART), what);
    assert.equal(response.headers["upload-complete"], "?0", what);
    const limit = response.headers["upload-limit"] ?? "";
    const maxSize = Number(/max-size=(\d+)/.exec(limit)?.[1]);
    assert.ok(maxSize >= size, `Upload-Limit: ${limit} for a ${size}-byte form`);
    uploadUrl = proxy.url + new URL(location).pathname;
    results.creation = { status: response.status, offset: Number(response.headers["upload-offset"]), limit, informational: response.informational };
    return `${location}, Upload-Limit ${limit}, interim answers: ${response.informational.length ? response.informational.join(", ") : "none"}`;
  });

  const firstProxied = proxy.requests.length;
  let cut;
  await step("PATCH the rest with Upload-Complete: ?1 through the proxy, cut in the middle", async () => {
    const rest = size - FIRST_PART;
    proxy.cutNextPatchAfter(Math.floor(rest / 2));
    const response = await send(uploadUrl, { method: "PATCH", headers: patchHeaders(FIRST_PART, true), body: form.body.subarray(FIRST_PART) });
    const record = proxy.requests.at(-1);
    assert.ok(record.cut, `the proxy did not cut the PATCH: ${JSON.stringify(record)}`);
    assert.ok(response.error, `the cut PATCH got an answer: HTTP ${response.status}`);
    cut = { sentToServer: FIRST_PART + record.bodyBytes, clientError: response.error.code ?? response.error.message };
    return `${record.bodyBytes} of ${rest} bytes went to the server, then ${cut.clientError}`;
  });

  let headOffset;
  await step("HEAD after the cut: 204, an offset past the start and not past what was sent, Upload-Length", async () => {
    const response = await send(uploadUrl, { method: "HEAD", headers: draft() });
    const what = answered(response, "HEAD");
    assert.equal(response.status, 204, what);
    headOffset = Number(response.headers["upload-offset"]);
    // The draft: the offset counts the bytes the server kept, so it may be below what reached it, never above.
    assert.ok(headOffset > FIRST_PART && headOffset <= cut.sentToServer,
      `Upload-Offset ${response.headers["upload-offset"]}: the POST sent ${FIRST_PART}, ${cut.sentToServer} reached the server`);
    assert.equal(response.headers["upload-complete"], "?0", what);
    assert.equal(response.headers["upload-length"], String(size), what);
    assert.match(response.headers["cache-control"] ?? "", /no-store/, what);
    cut.headOffset = headOffset;
    cut.lost = cut.sentToServer - headOffset;
    results.cut = cut;
    return `Upload-Offset ${headOffset} (${cut.lost} bytes that reached the server were not kept)`;
  });

  let mismatchBytes = 0;
  await step(`PATCH at a wrong offset (${MISMATCH} bytes ahead): 409 mismatching-upload-offset, then HEAD says the same offset`, async () => {
    const provided = headOffset + MISMATCH;
    const response = await send(uploadUrl, {
      method: "PATCH", headers: patchHeaders(provided, false), body: form.body.subarray(provided, provided + MISMATCH),
    });
    mismatchBytes = proxy.requests.at(-1).bodyBytes;
    const what = answered(response, "PATCH at a wrong offset");
    assert.equal(response.status, 409, what);
    assert.match(response.headers["content-type"] ?? "", /^application\/problem\+json/, what);
    const problem = JSON.parse(response.body.toString("utf8"));
    assert.equal(problem.type, "https://iana.org/assignments/http-problem-types#mismatching-upload-offset", what);
    assert.equal(problem["expected-offset"], headOffset, what);
    assert.equal(problem["provided-offset"], provided, what);
    assert.equal(response.headers["upload-offset"], String(headOffset), what);
    const head = await send(uploadUrl, { method: "HEAD", headers: draft() });
    assert.equal(head.status, 204, answered(head, "HEAD after the 409"));
    assert.equal(head.headers["upload-offset"], String(headOffset), "the refused PATCH moved the offset");
    results.mismatch = {
      status: response.status, contentType: response.headers["content-type"], type: problem.type,
      expectedOffset: problem["expected-offset"], providedOffset: problem["provided-offset"],
      uploadOffset: Number(response.headers["upload-offset"]), headAfter: Number(head.headers["upload-offset"]),
    };
    return `${JSON.stringify(problem)}; Upload-Offset ${response.headers["upload-offset"]}`;
  });

  let mediaId;
  await step("PATCH from the HEAD's offset with Upload-Complete: ?1: 202 v2 media JSON, url null, Mediary-Media-Id", async () => {
    const response = await send(uploadUrl, { method: "PATCH", headers: patchHeaders(headOffset, true), body: form.body.subarray(headOffset) });
    const what = answered(response, "the resuming PATCH");
    assert.equal(response.status, 202, what);
    assert.equal(response.headers["upload-complete"], "?1", what);
    const media = json(response, what);
    assertMediaJson(media, what);
    assert.equal(media.url, null, `${what}: a video still processing has url null`);
    mediaId = response.headers["mediary-media-id"];
    assert.equal(mediaId, media.id, `Mediary-Media-Id ${mediaId}, JSON id ${media.id}`);

    // Every body byte through the proxy and the POST's: the form once, the part of the cut PATCH the
    // server did not keep again, and the refused PATCH's bytes.
    const totalBytes = FIRST_PART + proxy.bodyBytesSince(firstProxied);
    assert.equal(totalBytes, size + cut.lost + mismatchBytes, `${totalBytes} body bytes on the wire`);
    assert.ok(totalBytes <= 1.02 * size + cut.lost, `${totalBytes} bytes on the wire for a ${size}-byte form, ${cut.lost} lost in the cut`);
    results.wire = { totalBytes, lost: cut.lost, mismatchBytes, ratio: totalBytes / size };
    results.completed = {
      status: response.status, uploadComplete: response.headers["upload-complete"], mediaIdHeader: mediaId,
      media: { id: media.id, type: media.type, url: media.url, description: media.description },
    };
    return `media ${mediaId}; ${totalBytes} body bytes for a ${size}-byte form (${(totalBytes / size).toFixed(4)}×, ` +
      `${cut.lost} lost in the cut, ${mismatchBytes} in the refused PATCH)`;
  });

  await step("HEAD after the end: Upload-Complete: ?1, the media's id", async () => {
    const response = await send(uploadUrl, { method: "HEAD", headers: draft() });
    const what = answered(response, "HEAD");
    assert.equal(response.status, 204, what);
    assert.equal(response.headers["upload-complete"], "?1", what);
    assert.equal(response.headers["upload-offset"], String(size), what);
    assert.equal(response.headers["mediary-media-id"], mediaId, what);
  });

  await step("GET /api/v1/media/:id until 200: the video, described and focused, its streams the file's", async () => {
    const media = await waitUntilProcessed(mediaId);
    assertMediaJson(media, `GET /api/v1/media/${mediaId}`);
    assert.ok(media.url, `processed without a url: ${JSON.stringify(media)}`);
    // Passthrough keeps every packet: equal stream hashes show the form's file arrived whole, once, in order.
    await assertStoredStreams(server, media, expectedStreams, "the resumed upload");
    results.completed.processed = { type: media.type, url: media.url, description: media.description, focus: media.meta.focus };
    return `${media.url}, ${media.meta?.original?.width}x${media.meta?.original?.height}`;
  });

  await step("Upload-Draft-Interop-Version: 7, the whole form in one POST: a plain upload (202, no Location)", async () => {
    const response = await send(`${baseUrl}/api/v2/media`, {
      method: "POST",
      headers: draft({ "Content-Type": form.contentType, "Upload-Complete": "?0" }, "7"),
      body: form.body,
    });
    const what = answered(response, "POST /api/v2/media with version 7");
    assert.ok([200, 202].includes(response.status), what);
    assert.equal(response.headers.location, undefined, what);
    assert.equal(response.headers["upload-offset"], undefined, what);
    const media = json(response, what);
    assertMediaJson(media, what);
    const processed = await waitUntilProcessed(media.id);
    assert.equal(processed.type, "video");
    results.plain = { status: response.status, location: response.headers.location ?? null, type: media.type, description: media.description };
    return `HTTP ${response.status}, media ${media.id}`;
  });

  await step("no 104 (or other interim answer) from the server on any request", async () => {
    const proxied = proxy.requests.flatMap((r) => r.informational);
    assert.ok(!interim.some((i) => i.status === 104) && !proxied.includes(104),
      `104 answers: client ${JSON.stringify(interim)}, proxy ${JSON.stringify(proxied)}`);
    return `client saw ${interim.length}, the proxy ${proxied.length}`;
  });
}

await runFlow("rufh", main, (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
