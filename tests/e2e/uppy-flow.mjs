// End-to-end check: Uppy (@uppy/core with @uppy/tus, npm) in a real browser (Debian's Chromium,
// driven by playwright-core) uploads a picked MP4 with a description to a running Mediary
// server's tus endpoint (POST /api/v2/media/uploads) in 1 MiB PATCHes. The page is uppy-page.mjs,
// bundled here with esbuild into MEDIARY_WORK and served from another loopback origin, as a third-
// party web client is: every request to the server is cross-origin, so CORS must let it through
// and expose Location, Upload-Offset and Mediary-Media-Id. Nothing is fetched from elsewhere.
//
// Environment:
//   MEDIARY_URL       base URL of the server, e.g. http://127.0.0.1:5099
//   MEDIARY_TOKEN     bearer token with "write:media" and "read" scopes
//   MEDIARY_VIDEO     path of a few-MB H.264/AAC yuv420p MP4 (a passthrough candidate)
//   MEDIARY_FFMPEG    ffmpeg to compare the stored video's streams with the file's (default: ffmpeg)
//   MEDIARY_WORK      a scratch directory for the bundle and the stored video
//   MEDIARY_CHROMIUM  the browser (default /usr/bin/chromium)
//
// Prints one line per step, then "RESULT {json}" (what the C# test checks); exits 1 with
// "FAIL <step>: <reason>" on the first failure.

import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { launchBrowser, newPage } from "./browser.mjs";
import { independentStep, requireEnv, runFlow, step } from "./harness.mjs";
import { assertStoredStreams, streamHashes } from "./tus-server.mjs";
import { startPageServer } from "./uppy-page-server.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const token = requireEnv("MEDIARY_TOKEN");
const videoPath = requireEnv("MEDIARY_VIDEO");
const workDirectory = requireEnv("MEDIARY_WORK");
const ffmpeg = process.env.MEDIARY_FFMPEG || "ffmpeg";

const CHUNK = 1024 * 1024;
const description = "Uploaded by Uppy in Chromium";
const focus = "-0.25,0.5";
const server = { baseUrl, token, ffmpeg, workDirectory };

function describeError(error) {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

const wire = (requests) => requests.map((r) => `${r.method} @${r.sentOffset ?? "-"} -> ${r.status} offset ${r.offset ?? "-"}`).join("; ");

async function main() {
  const bundle = path.join(workDirectory, "uppy-page.js");
  await step("esbuild bundles uppy-page.mjs (@uppy/core, @uppy/tus) for the browser", async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const result = await build({
      entryPoints: [path.join(here, "uppy-page.mjs")],
      outfile: bundle,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "chrome120",
      logLevel: "silent",
    });
    assert.deepEqual(result.errors, []);
    return `${(await stat(bundle)).size} bytes`;
  });

  const pages = await startPageServer(bundle);
  const browser = await launchBrowser();
  const results = { chunk: CHUNK, size: (await stat(videoPath)).size };
  try {
    await flow(browser, pages, results);
  } finally {
    await browser.close();
    await pages.close();
    console.log(`RESULT ${JSON.stringify(results)}`);
  }
}

async function flow(browser, pages, results) {
  const { size } = results;
  const context = await browser.newContext();
  const page = await newPage(context);
  const consoleErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
  const origins = new Set();
  page.on("request", (request) => origins.add(new URL(request.url()).origin));

  await step("the page loads from another loopback origin than the server's", async () => {
    await page.goto(pages.url);
    assert.notEqual(new URL(pages.url).origin, new URL(baseUrl).origin);
    await page.waitForFunction(() => window.mediaryUppy !== undefined);
    return pages.url;
  });

  let record;
  await step(`Uppy + Tus: a picked MP4 with a description goes up in ${CHUNK} B PATCHes`, async () => {
    await page.evaluate((config) => window.mediaryUppy.prepare(config), { baseUrl, token, description, focus, chunkSize: CHUNK });
    await page.setInputFiles("#file", videoPath);
    record = await page.evaluate(() => window.mediaryUppy.finished);
    results.errors = record.errors;
    assert.deepEqual(record.errors, [], "Uppy reported errors");
    assert.deepEqual(record.result, { successful: 1, failed: 0 }, "uppy.upload()'s result");

    const [creation, ...patches] = record.requests;
    assert.equal(creation?.method, "POST", `the first request: ${wire(record.requests)}`);
    assert.equal(creation.status, 201, `POST: ${wire(record.requests)}`);
    // CORS: the page reads Location (tus-js-client could not go on without it) and Upload-Offset.
    assert.match(creation.location ?? "", new RegExp(`^${baseUrl}/api/v2/media/uploads/[^/?#]+$`), `Location: ${creation.location}`);
    const chunks = Math.ceil(size / CHUNK);
    assert.equal(patches.length, chunks, `${size} bytes in ${CHUNK} B chunks: ${wire(record.requests)}`);
    patches.forEach((patch, i) => {
      assert.equal(patch.method, "PATCH", wire(record.requests));
      assert.equal(patch.url, creation.location, `PATCH ${i} goes elsewhere than Location`);
      assert.equal(patch.status, 204, `PATCH ${i}: ${wire(record.requests)}`);
      assert.equal(Number(patch.sentOffset), i * CHUNK, `PATCH ${i}: ${wire(record.requests)}`);
      assert.equal(Number(patch.offset), Math.min((i + 1) * CHUNK, size), `PATCH ${i}'s Upload-Offset: ${wire(record.requests)}`);
      // Only the last byte makes the media.
      if (i < chunks - 1) assert.equal(patch.mediaId, null, `PATCH ${i} already has Mediary-Media-Id ${patch.mediaId}`);
    });
    const last = patches.at(-1);
    assert.match(last.mediaId ?? "", /^\d+$/, "the last PATCH's Mediary-Media-Id, as the page reads it");

    assert.equal(record.successes.length, 1, `upload-success: ${JSON.stringify(record.successes)}`);
    const [success] = record.successes;
    assert.equal(success.name, path.basename(videoPath));
    assert.equal(success.size, size);
    assert.equal(success.uploadURL, creation.location);
    assert.equal(success.mediaId, last.mediaId, "Mediary-Media-Id on upload-success's response.body.xhr");
    results.mediaId = success.mediaId;
    results.patches = patches.length;
    results.statuses = record.requests.map((r) => `${r.method} ${r.status}`);
    return `media ${success.mediaId}: POST, ${patches.length} PATCHes`;
  });

  await independentStep("progress: upload-progress climbs to the file's size, Uppy's total to 100 %", async () => {
    const bytes = record.fileProgress.map((p) => p.bytesUploaded);
    assert.ok(bytes.length >= 2, `upload-progress fired ${bytes.length} times`);
    bytes.forEach((b, i) => assert.ok(i === 0 || b >= bytes[i - 1], `upload-progress went back: ${bytes.join(",")}`));
    assert.equal(bytes.at(-1), size, `the last upload-progress: ${JSON.stringify(record.fileProgress.at(-1))}`);
    assert.ok(record.fileProgress.every((p) => p.bytesTotal === size), "upload-progress's bytesTotal");
    assert.equal(record.totalProgress.at(-1), 100, `progress events: ${record.totalProgress.join(",")}`);
    results.progress = { fileEvents: bytes.length, lastBytes: bytes.at(-1), lastTotalPercent: record.totalProgress.at(-1) };
    return `${bytes.length} upload-progress events, progress ${record.totalProgress.join(",")}`;
  }, describeError);

  await step("the page polls GET /api/v1/media/:id (206 while processing) until 200: a video with the description", async () => {
    const { media } = record;
    assert.ok(media, "the page got no media");
    assert.equal(media.status, 200, `GET /api/v1/media/${results.mediaId}: HTTP ${media.status} ${JSON.stringify(media.body)}`);
    assert.ok(record.polls.slice(0, -1).every((status) => status === 206), `polls: ${record.polls.join(",")}`);
    const body = media.body;
    assert.equal(body.id, results.mediaId);
    assert.equal(body.type, "video", JSON.stringify(body));
    assert.equal(body.description, description);
    assert.ok(body.url, `no url: ${JSON.stringify(body)}`);
    assert.ok(Math.abs(body.meta?.focus?.x + 0.25) < 1e-6 && Math.abs(body.meta?.focus?.y - 0.5) < 1e-6,
      `meta.focus: ${JSON.stringify(body.meta?.focus)}`);
    results.media = { id: body.id, type: body.type, url: body.url, description: body.description, focus: body.meta.focus };
    results.polls = record.polls;
    return `${body.url} after ${record.polls.length} polls (${record.polls.join(",")})`;
  });

  await independentStep("the stored MP4's streams are the picked file's: passed through, every byte once", async () => {
    await assertStoredStreams(server, { id: results.mediaId, url: results.media.url }, await streamHashes(ffmpeg, videoPath), "the Uppy upload");
  }, describeError);

  await independentStep("the page plays the stored video from its url", async () => {
    const played = await page.evaluate((url) => window.mediaryUppy.play(url), results.media.url);
    assert.ok(played.duration > 0 && played.width > 0, JSON.stringify(played));
    results.played = played;
    return `${played.width}x${played.height}, ${played.duration} s`;
  }, describeError);

  await independentStep("no console errors, no page errors, no request beyond the page and the server", async () => {
    results.consoleErrors = consoleErrors;
    assert.deepEqual(consoleErrors, []);
    const allowed = new Set([new URL(pages.url).origin, new URL(baseUrl).origin]);
    results.origins = [...origins];
    assert.deepEqual([...origins].filter((origin) => !allowed.has(origin)), []);
  }, describeError);

  await context.close();
}

await runFlow("uppy", main, describeError);
