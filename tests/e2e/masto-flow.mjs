// End-to-end check: the real `masto` client (npm) drives a running Mediary server.
//
// Environment:
//   MEDIARY_URL    base URL of the server, e.g. http://127.0.0.1:5099
//   MEDIARY_TOKEN  bearer token with "read write" scopes
//   MEDIARY_IMAGE  path of a JPEG to upload
//   MEDIARY_VIDEO  path of a video with sound (optional): the v2 flow of 202, polling and url
//
// Prints one line per step; exits 1 with "FAIL <step>: <reason>" on the first failure.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRestAPIClient, MastoHttpError } from "masto";
import { assertFocus, requireEnv, runFlow, step } from "./harness.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const token = requireEnv("MEDIARY_TOKEN");
const imagePath = requireEnv("MEDIARY_IMAGE");
const videoPath = process.env.MEDIARY_VIDEO;

function describeError(error) {
  if (error instanceof MastoHttpError) {
    const extra = JSON.stringify({
      description: error.description,
      details: error.details,
      additionalProperties: error.additionalProperties,
    });
    return `MastoHttpError ${error.statusCode}: ${error.message} ${extra}`;
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

/** Downloads a media file without credentials, as a browser would. */
async function download(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, contentType: response.headers.get("content-type"), bytes };
}

function assertJpeg(file, what) {
  assert.equal(file.status, 200, `${what}: expected HTTP 200, got ${file.status}`);
  assert.ok(file.bytes.length > 3, `${what}: body is only ${file.bytes.length} bytes`);
  const magic = Array.from(file.bytes.subarray(0, 3), (b) => b.toString(16).padStart(2, "0")).join(" ");
  assert.equal(magic, "ff d8 ff", `${what}: not a JPEG, first bytes are ${magic}`);
  assert.match(file.contentType ?? "", /^image\/jpeg/, `${what}: Content-Type is ${file.contentType}`);
}

async function expectHttpError(promise, statusCode, what) {
  await assert.rejects(promise, (error) => {
    if (!(error instanceof MastoHttpError)) {
      throw new assert.AssertionError({ message: `${what}: expected MastoHttpError ${statusCode}, got ${describeError(error)}` });
    }
    assert.equal(error.statusCode, statusCode, `${what}: expected HTTP ${statusCode}, got ${describeError(error)}`);
    return true;
  });
}

async function main() {
  const masto = createRestAPIClient({
    url: baseUrl,
    accessToken: token,
    timeout: 30_000, // per request
    mediaTimeout: 60_000, // polling of GET /api/v1/media/:id after v2 create
  });

  const imageBytes = await readFile(imagePath);

  await step("v2.instance.fetch() advertises image/jpeg", async () => {
    const instance = await masto.v2.instance.fetch();
    const mimeTypes = instance.configuration?.mediaAttachments?.supportedMimeTypes ?? [];
    assert.ok(mimeTypes.includes("image/jpeg"), `supported_mime_types: ${JSON.stringify(mimeTypes)}`);
    return `version ${instance.version}`;
  });

  const description = "A test card from ffmpeg, uploaded by masto";
  let media;
  await step("v2.media.create({file, description, focus})", async () => {
    media = await masto.v2.media.create({
      file: new Blob([imageBytes], { type: "image/jpeg" }),
      description,
      focus: "0.5,-0.25",
    });
    assert.equal(typeof media.id, "string", `id should be a string: ${JSON.stringify(media)}`);
    assert.equal(media.type, "image");
    assert.ok(media.url, `url missing after polling: ${JSON.stringify(media)}`);
    assert.ok(media.previewUrl, `preview_url missing: ${JSON.stringify(media)}`);
    assert.equal(media.description, description);
    assertFocus(media, 0.5, -0.25, "create");
    assert.ok(media.meta?.original?.width > 0, `meta.original: ${JSON.stringify(media.meta)}`);
    assert.ok(media.meta?.small?.width > 0, `meta.small: ${JSON.stringify(media.meta)}`);
    return `id ${media.id}, ${media.meta.original.width}x${media.meta.original.height}`;
  });

  await step("download url (no auth) is a JPEG", async () => {
    const file = await download(media.url);
    assertJpeg(file, `GET ${media.url}`);
    return `${file.bytes.length} bytes, ${file.contentType}`;
  });

  await step("download preview_url (no auth) is a JPEG", async () => {
    const file = await download(media.previewUrl);
    assertJpeg(file, `GET ${media.previewUrl}`);
    return `${file.bytes.length} bytes, ${file.contentType}`;
  });

  await step("v1.media.$select(id).fetch()", async () => {
    const fetched = await masto.v1.media.$select(media.id).fetch();
    assert.equal(fetched.id, media.id);
    assert.equal(fetched.type, "image");
    assert.equal(fetched.url, media.url);
    assert.equal(fetched.previewUrl, media.previewUrl);
    assert.equal(fetched.description, description);
    assertFocus(fetched, 0.5, -0.25, "fetch");
    assert.equal(fetched.blurhash, media.blurhash);
  });

  const newDescription = "Updated by masto: a colourful test card";
  await step("v1.media.$select(id).update({description, focus})", async () => {
    const updated = await masto.v1.media.$select(media.id).update({
      description: newDescription,
      focus: "-0.75,0.125",
    });
    assert.equal(updated.id, media.id);
    assert.equal(updated.description, newDescription);
    assertFocus(updated, -0.75, 0.125, "update response");
    assert.equal(updated.url, media.url, "update must not change url");
  });

  await step("fetch() after update sees the new description and focus", async () => {
    const fetched = await masto.v1.media.$select(media.id).fetch();
    assert.equal(fetched.description, newDescription);
    assertFocus(fetched, -0.75, 0.125, "fetch after update");
  });

  await step("v1.media.$select(id).remove()", async () => {
    // `remove` is not in masto 7.12's typings for media, but the proxy sends DELETE.
    const result = await masto.v1.media.$select(media.id).remove();
    return `returned ${JSON.stringify(result)}`;
  });

  await step("fetch() after remove fails with 404", async () => {
    await expectHttpError(masto.v1.media.$select(media.id).fetch(), 404, "fetch after remove");
  });

  await step("url answers 404 after remove", async () => {
    const file = await download(media.url);
    assert.equal(file.status, 404, `GET ${media.url} after remove: HTTP ${file.status}`);
  });

  await step("preview_url answers 404 after remove", async () => {
    const file = await download(media.previewUrl);
    assert.equal(file.status, 404, `GET ${media.previewUrl} after remove: HTTP ${file.status}`);
  });

  let status;
  const pictures = [];
  await step("v1.statuses.create({status, mediaIds}) with two uploaded images", async () => {
    for (const description of ["first", "second"]) {
      pictures.push(await masto.v2.media.create({ file: new Blob([imageBytes], { type: "image/jpeg" }), description }));
    }
    status = await masto.v1.statuses.create({ status: "Two pictures from masto", mediaIds: pictures.map((p) => p.id) });
    assert.deepEqual(status.mediaAttachments.map((m) => m.id), pictures.map((p) => p.id));
    assert.match(status.content, /Two pictures from masto/);
    return `status ${status.id}`;
  });

  await step("v1.statuses.$select(id).fetch() reads it back", async () => {
    const fetched = await masto.v1.statuses.$select(status.id).fetch();
    assert.equal(fetched.id, status.id);
    assert.deepEqual(fetched.mediaAttachments.map((m) => m.description), ["first", "second"]);
    assert.equal(fetched.account.id, status.account.id);
  });

  await step("attached media: fetch() fails with 404", async () => {
    await expectHttpError(masto.v1.media.$select(pictures[0].id).fetch(), 404, "fetch attached media");
  });

  if (!videoPath) return;
  let video;
  await step("v2.media.create(video): 202, then masto polls until url is set", async () => {
    video = await masto.v2.media.create({ file: new Blob([await readFile(videoPath)], { type: "video/webm" }) });
    assert.equal(video.type, "video");
    assert.ok(video.url, `url missing after polling: ${JSON.stringify(video)}`);
    assert.match(video.url, /\.mp4$/);
    assert.ok(video.meta?.original?.duration > 0, `meta.original: ${JSON.stringify(video.meta)}`);
    return `id ${video.id}, ${video.meta.original.width}x${video.meta.original.height}, ${video.meta.original.frame_rate ?? video.meta.original.frameRate} fps`;
  });

  await step("download the video url (no auth) is an MP4", async () => {
    const file = await download(video.url);
    assert.equal(file.status, 200);
    assert.match(file.contentType ?? "", /^video\/mp4/);
    assert.equal(Buffer.from(file.bytes.subarray(4, 8)).toString("latin1"), "ftyp");
    return `${file.bytes.length} bytes`;
  });
}

await runFlow("masto", main, describeError);
