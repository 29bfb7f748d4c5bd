// End-to-end check: the real `tus-js-client` (npm) uploads a ~20 MB MP4 to a running Mediary
// server's tus endpoint (POST /api/v2/media/uploads) in 5 MiB PATCHes, through the loopback proxy
// of tus-proxy.mjs, which counts the body bytes on the wire and can cut a PATCH in the middle.
//
// Environment:
//   MEDIARY_URL          base URL of the server, e.g. http://127.0.0.1:5099
//   MEDIARY_TOKEN        bearer token with "write:media" and "read" scopes
//   MEDIARY_OTHER_TOKEN  a token of another account: the upload URL must be 404 to it
//   MEDIARY_VIDEO        path of a ~20 MB H.264/AAC yuv420p MP4 with moov first (a passthrough candidate)
//   MEDIARY_FFMPEG       ffmpeg to compare the stored video's streams with the file's (default: ffmpeg)
//   MEDIARY_WORK         a scratch directory for tus-js-client's URL storage
//
// Prints one line per step, then "RESULT {json}" (what the C# test checks); exits 1 with
// "FAIL <step>: <reason>" on the first failure.

import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { DetailedError, FileUrlStorage, Upload } from "tus-js-client";
import { independentStep, requireEnv, runFlow, step } from "./harness.mjs";
import { startTusProxy } from "./tus-proxy.mjs";
import { assertStoredStreams, streamHashes, tusRequest, waitUntilProcessed } from "./tus-server.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const token = requireEnv("MEDIARY_TOKEN");
const otherToken = requireEnv("MEDIARY_OTHER_TOKEN");
const videoPath = requireEnv("MEDIARY_VIDEO");
const workDirectory = requireEnv("MEDIARY_WORK");
const ffmpeg = process.env.MEDIARY_FFMPEG || "ffmpeg";

const MiB = 1024 * 1024;
const CHUNK = 5 * MiB;
const server = { baseUrl, token, ffmpeg, workDirectory };

function describeError(error) {
  if (error instanceof DetailedError) {
    const req = error.originalRequest;
    const res = error.originalResponse;
    const answer = res ? `HTTP ${res.getStatus()} ${res.getBody()}` : "no response";
    const cause = error.causingError ? ` (cause: ${error.causingError.message})` : "";
    return `${error.message}: ${req?.getMethod()} ${req?.getURL()} -> ${answer}${cause}`;
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

/**
 * Starts a tus-js-client upload of the video; resolves with { upload, mediaId } on success, or
 * when `stopWhen(upload, bytesAccepted)` returns true after a chunk (having aborted it itself).
 * The media id is read as a client would: Mediary-Media-Id on the response to the last PATCH.
 */
function runUpload(endpoint, options, { stopWhen, before } = {}) {
  return new Promise((resolve, reject) => {
    let mediaId = null;
    const upload = new Upload(createReadStream(videoPath), {
      endpoint,
      chunkSize: CHUNK,
      headers: { Authorization: `Bearer ${token}` },
      retryDelays: null,
      ...options,
      onAfterResponse: (req, res) => {
        if (req.getMethod() === "PATCH" && res.getHeader("Mediary-Media-Id")) mediaId = res.getHeader("Mediary-Media-Id");
      },
      onChunkComplete: (_chunkSize, bytesAccepted) => {
        if (stopWhen?.(upload, bytesAccepted)) resolve({ upload, mediaId });
      },
      onSuccess: () => resolve({ upload, mediaId }),
      onError: reject,
    });
    Promise.resolve(before?.(upload)).then(() => upload.start(), reject);
  });
}

const wire = (requests) => requests.map((r) => `${r.method} @${r.offset ?? "-"} ${r.bodyBytes} B -> ${r.status}${r.cut ? " (cut)" : ""}`).join("; ");

async function main() {
  const size = (await stat(videoPath)).size;
  const proxy = await startTusProxy(baseUrl);
  const results = { size, chunk: CHUNK };
  try {
    await flows(size, proxy, `${proxy.url}/api/v2/media/uploads`, results);
  } finally {
    await proxy.close();
    console.log(`RESULT ${JSON.stringify(results)}`);
  }
}

async function flows(size, proxy, endpoint, results) {
  const expectedStreams = await streamHashes(ffmpeg, videoPath);

  await independentStep("OPTIONS /api/v2/media/uploads advertises tus 1.0.0 and its extensions", async () => {
    // tus 1.0.0: "the Client SHOULD NOT include the Tus-Resumable header in the request" to OPTIONS.
    const response = await fetch(endpoint, { method: "OPTIONS" });
    assert.ok([200, 204].includes(response.status), `HTTP ${response.status}`);
    assert.equal(response.headers.get("tus-resumable"), "1.0.0");
    assert.ok((response.headers.get("tus-version") ?? "").split(",").map((v) => v.trim()).includes("1.0.0"),
      `Tus-Version: ${response.headers.get("tus-version")}`);
    const extensions = (response.headers.get("tus-extension") ?? "").split(",").map((e) => e.trim());
    for (const extension of ["creation", "creation-with-upload", "expiration", "checksum", "termination"]) {
      assert.ok(extensions.includes(extension), `Tus-Extension lacks ${extension}: ${extensions.join(",")}`);
    }
    const maxSize = Number(response.headers.get("tus-max-size"));
    assert.ok(maxSize >= size, `Tus-Max-Size ${response.headers.get("tus-max-size")} is below the ${size}-byte video`);
    return `Tus-Max-Size ${maxSize}, extensions ${extensions.join(",")}`;
  }, describeError);

  // Scenario 1: the proxy drops the connection halfway through the second PATCH. tus-js-client's
  // own retry asks HEAD where the upload stands and goes on from there: only the bytes past the
  // server's durable offset are sent again, so the wire carries at most one chunk more than the file.
  await step("a PATCH cut mid-body: tus-js-client retries by itself, HEAD, resumes, finishes", async () => {
    const first = proxy.requests.length;
    const cutAfter = CHUNK / 2;
    const { mediaId } = await runUpload(endpoint, {
      metadata: { filename: "cut.mp4", filetype: "video/mp4", description: "Survived a cut" },
      retryDelays: [0, 500, 2000, 5000],
    }, {
      stopWhen: (_upload, accepted) => {
        if (accepted === CHUNK) proxy.cutNextPatchAfter(cutAfter);
        return false;
      },
    });
    const run = proxy.requests.slice(first);
    const cutIndex = run.findIndex((r) => r.cut);
    assert.ok(cutIndex > 0, `no PATCH was cut: ${wire(run)}`);
    const cut = run[cutIndex];
    assert.equal(Number(cut.offset), CHUNK, `the cut PATCH: ${wire(run)}`);
    const [head, resume] = run.slice(cutIndex + 1);
    assert.equal(head?.method, "HEAD", `after the cut: ${wire(run)}`);
    assert.equal(head.status, 200, `HEAD after the cut: ${wire(run)}`);
    // tus 1.0.0: the offset may take in what arrived of the cut PATCH, never more; the client goes on from it.
    const headOffset = Number(head.headers["upload-offset"]);
    assert.ok(headOffset >= CHUNK && headOffset <= CHUNK + cut.bodyBytes, `Upload-Offset after the cut: ${head.headers["upload-offset"]}`);
    assert.equal(resume?.method, "PATCH", `after the HEAD: ${wire(run)}`);
    assert.equal(Number(resume.offset), headOffset, `the resuming PATCH starts at ${resume.offset}, HEAD said ${headOffset}`);
    assert.ok(!run.slice(1).some((r) => r.method === "POST"), `the retry created a new upload: ${wire(run)}`);

    const totalBytes = proxy.bodyBytesSince(first);
    const resentBytes = totalBytes - size;
    // Exactly the bytes of the cut PATCH past the offset the server kept are sent twice.
    assert.equal(resentBytes, CHUNK + cut.bodyBytes - headOffset, `${totalBytes} bytes on the wire: ${wire(run)}`);
    assert.ok(totalBytes <= size + CHUNK, `${totalBytes} bytes on the wire for a ${size}-byte file, over one ${CHUNK}-byte chunk more`);
    assert.ok(mediaId, "the last PATCH has no Mediary-Media-Id");
    assert.equal(run.at(-1).headers["mediary-media-id"], mediaId);

    const media = await waitUntilProcessed(server, mediaId);
    await assertStoredStreams(server, media, expectedStreams, "the cut upload");
    results.cut = {
      mediaId, cutAt: CHUNK + cut.bodyBytes, headOffset, resumeOffset: Number(resume.offset), totalBytes, resentBytes,
      ratio: totalBytes / size, requests: run.length,
      media: { type: media.type, url: media.url, description: media.description },
    };
    return `cut at ${CHUNK + cut.bodyBytes}, HEAD said ${headOffset}; ${totalBytes} bytes for ${size} ` +
      `(${(totalBytes / size).toFixed(4)}×, ${resentBytes} resent); media ${media.id}`;
  });

  // Scenario 2: two chunks, abort(), then a new tus.Upload that finds the stored URL, asks HEAD and
  // sends only the rest.
  const urlStorage = new FileUrlStorage(path.join(workDirectory, "tus-url-storage.json"));
  const description = "Resumed by tus-js-client";
  const metadata = { filename: "train.mp4", filetype: "video/mp4", description, focus: "0.5,-0.3" };
  let uploadUrl;
  let firstOfUpload;
  await step("tus-js-client: create, two 5 MiB PATCHes, abort()", async () => {
    firstOfUpload = proxy.requests.length;
    const { upload } = await runUpload(endpoint, { metadata, urlStorage }, {
      stopWhen: (upload, accepted) => {
        if (accepted < 2 * CHUNK) return false;
        upload.abort();
        return true;
      },
    });
    uploadUrl = upload.url;
    const [creation, ...patches] = proxy.requests.slice(firstOfUpload);
    assert.equal(creation.method, "POST");
    assert.equal(creation.status, 201, `POST: HTTP ${creation.status}`);
    const location = creation.headers.location ?? "";
    assert.match(location, /^https?:\/\/[^/]+\/api\/v2\/media\/uploads\/[^/?#]+$/, `Location: ${location}`);
    assert.ok(uploadUrl.startsWith(`${proxy.url}/api/v2/media/uploads/`), `upload URL ${uploadUrl} bypasses the proxy`);
    const expires = Date.parse(creation.headers["upload-expires"] ?? "");
    assert.ok(expires > Date.now(), `Upload-Expires: ${creation.headers["upload-expires"]}`);
    assert.deepEqual(patches.map((r) => [r.method, r.status, r.bodyBytes]), [["PATCH", 204, CHUNK], ["PATCH", 204, CHUNK]]);
    return `${uploadUrl}, expires ${creation.headers["upload-expires"]}`;
  });

  await step("HEAD: Upload-Offset 10 MiB, Upload-Length, Cache-Control: no-store, no media yet", async () => {
    const response = await tusRequest(server, "HEAD", uploadUrl);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("upload-offset"), String(2 * CHUNK));
    assert.equal(response.headers.get("upload-length"), String(size));
    assert.match(response.headers.get("cache-control") ?? "", /no-store/);
    assert.equal(response.headers.get("mediary-media-id"), null);
  });

  await independentStep("another account's token: HEAD, PATCH and DELETE are 404", async () => {
    const head = await tusRequest(server, "HEAD", uploadUrl, { bearer: otherToken });
    assert.equal(head.status, 404, `HEAD: HTTP ${head.status}`);
    const patch = await tusRequest(server, "PATCH", uploadUrl, {
      bearer: otherToken,
      headers: { "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(2 * CHUNK) },
      body: new Uint8Array(16),
    });
    assert.equal(patch.status, 404, `PATCH: HTTP ${patch.status}`);
    const remove = await tusRequest(server, "DELETE", uploadUrl, { bearer: otherToken });
    assert.equal(remove.status, 404, `DELETE: HTTP ${remove.status}`);
    const mine = await tusRequest(server, "HEAD", uploadUrl);
    assert.equal(mine.headers.get("upload-offset"), String(2 * CHUNK), "the other account changed the upload");
  }, describeError);

  let mediaId;
  await step("a new tus.Upload: findPreviousUploads, resumeFromPreviousUpload, HEAD, only the rest", async () => {
    const first = proxy.requests.length;
    const result = await runUpload(endpoint, { metadata, urlStorage }, {
      before: async (upload) => {
        const previous = await upload.findPreviousUploads();
        assert.equal(previous.length, 1, `URL storage: ${JSON.stringify(previous)}`);
        assert.equal(previous[0].uploadUrl, uploadUrl);
        upload.resumeFromPreviousUpload(previous[0]);
      },
    });
    mediaId = result.mediaId;
    const run = proxy.requests.slice(first);
    const [head, resume] = run;
    assert.equal(head.method, "HEAD", `the resume began with ${head.method}, not HEAD: ${wire(run)}`);
    const headOffset = Number(head.headers["upload-offset"]);
    assert.equal(headOffset, 2 * CHUNK, `HEAD: ${wire(run)}`);
    assert.equal(resume.method, "PATCH");
    assert.equal(Number(resume.offset), headOffset, `the resume's first PATCH starts at ${resume.offset}, not at the server's offset`);
    assert.ok(!run.some((r) => r.method === "POST"), `the resume created a new upload: ${wire(run)}`);
    const resumeBytes = proxy.bodyBytesSince(first);
    assert.equal(resumeBytes, size - headOffset, `the resume sent ${resumeBytes} bytes, the rest is ${size - headOffset}`);
    // Everything this upload put through the proxy but the other account's 16-byte PATCH: the file, once.
    const totalBytes = proxy.requests.slice(firstOfUpload).filter((r) => r.status !== 404).reduce((sum, r) => sum + r.bodyBytes, 0);
    assert.equal(totalBytes, size, `${totalBytes} bytes on the wire for a ${size}-byte file`);
    const last = run.at(-1);
    assert.equal(last.headers["upload-offset"], String(size));
    assert.ok(mediaId, `the last PATCH has no Mediary-Media-Id: ${JSON.stringify(last.headers)}`);
    assert.equal(last.headers["mediary-media-id"], mediaId);
    results.resumed = { mediaId, headOffset, resumeOffset: Number(resume.offset), resumeBytes, totalBytes, ratio: totalBytes / size };
    return `media ${mediaId}; HEAD said ${headOffset}, ${resumeBytes} bytes in the resume, ${totalBytes} in all for ${size} ` +
      `(${(totalBytes / size).toFixed(4)}×)`;
  });

  await independentStep("HEAD after the last byte: Upload-Offset = Upload-Length, Mediary-Media-Id", async () => {
    const response = await tusRequest(server, "HEAD", uploadUrl);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("upload-offset"), String(size));
    assert.equal(response.headers.get("mediary-media-id"), mediaId);
  }, describeError);

  await step("GET /api/v1/media/:id until processed: a video with the metadata's description and focus", async () => {
    const media = await waitUntilProcessed(server, mediaId);
    assert.equal(media.id, mediaId);
    assert.equal(media.type, "video");
    assert.equal(media.description, description);
    assert.ok(Math.abs(media.meta?.focus?.x - 0.5) < 1e-6 && Math.abs(media.meta?.focus?.y + 0.3) < 1e-6,
      `meta.focus: ${JSON.stringify(media.meta?.focus)}`);
    assert.ok(media.meta?.original?.duration > 0, `meta.original: ${JSON.stringify(media.meta)}`);
    await assertStoredStreams(server, media, expectedStreams, "the resumed upload");
    results.resumed.media = { type: media.type, url: media.url, description: media.description, focus: media.meta.focus };
    return `${media.url}, ${media.meta.original.width}x${media.meta.original.height}, ${media.meta.original.duration} s`;
  });

  // Scenario 3: termination.
  await step("upload.abort(true) sends DELETE (204); the upload URL is 404 afterwards", async () => {
    const first = proxy.requests.length;
    let terminated;
    const { upload } = await runUpload(endpoint, { metadata: { filename: "gone.mp4" } }, {
      stopWhen: (upload) => {
        terminated = upload.abort(true);
        return true;
      },
    });
    await terminated;
    const deletes = proxy.requests.slice(first).filter((r) => r.method === "DELETE");
    assert.deepEqual(deletes.map((r) => r.status), [204]);
    const head = await tusRequest(server, "HEAD", upload.url);
    assert.equal(head.status, 404, `HEAD after DELETE: HTTP ${head.status}`);
    const patch = await tusRequest(server, "PATCH", upload.url, {
      headers: { "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(CHUNK) },
      body: new Uint8Array(16),
    });
    assert.equal(patch.status, 404, `PATCH after DELETE: HTTP ${patch.status}`);
    results.terminated = { deleteStatus: deletes[0].status, headAfter: head.status, patchAfter: patch.status };
  });
}

await runFlow("tus", main, describeError);
