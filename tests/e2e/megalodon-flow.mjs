// End-to-end check: the real `megalodon` client (npm) drives a running Mediary server.
//
// Environment:
//   MEDIARY_URL    base URL of the server, e.g. http://127.0.0.1:5099
//   MEDIARY_TOKEN  bearer token with "read write" scopes
//   MEDIARY_IMAGE  path of a JPEG to upload
//
// Prints one line per step; exits 1 with "FAIL <step>: <reason>" on the first failure.
// megalodon has no "delete media" call; the last step deletes with a plain DELETE.

import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import megalodonPackage from "megalodon";
import { assertFocus, requireEnv, runFlow, sleep, step } from "./harness.mjs";

// megalodon is CommonJS: its generator is the `default` property of module.exports.
const generator = megalodonPackage.default;

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const token = requireEnv("MEDIARY_TOKEN");
const imagePath = requireEnv("MEDIARY_IMAGE");

function describeError(error) {
  // axios errors carry the server's answer in error.response.
  if (error?.isAxiosError && error.response) {
    const { status, data } = error.response;
    return `HTTP ${status} from ${error.config?.method?.toUpperCase()} ${error.config?.url}: ${JSON.stringify(data)}`;
  }
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

async function main() {
  const client = generator("mastodon", baseUrl, token);

  const description = "Uploaded by megalodon";
  let media;
  await step("uploadMedia(ReadStream, {description, focus})", async () => {
    const res = await client.uploadMedia(createReadStream(imagePath), {
      description,
      focus: "-0.5,0.5",
    });
    assert.ok(res.status === 200 || res.status === 202, `status ${res.status}`);
    media = res.data;
    assert.equal(typeof media.id, "string", `id should be a string: ${JSON.stringify(media)}`);
    assert.equal(media.type, "image");
    assert.equal(media.description, description);
    return `HTTP ${res.status}, id ${media.id}, url ${media.url ? "set" : "null (processing)"}`;
  });

  await step("getMedia(id) until url is set", async () => {
    // megalodon does not poll after a v2 upload; do it here like a client would.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await client.getMedia(media.id);
      if (res.status === 200 && res.data.url) {
        media = res.data;
        break;
      }
      assert.ok(Date.now() < deadline, `media ${media.id} still processing after 60 s (status ${res.status})`);
      await sleep(500);
    }
    assert.equal(media.description, description);
    assertFocus(media, -0.5, 0.5, "getMedia");
    assert.ok(media.preview_url, `preview_url missing: ${JSON.stringify(media)}`);
  });

  await step("media url is a JPEG", async () => {
    const response = await fetch(media.url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(response.status, 200, `GET ${media.url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual(Array.from(bytes.subarray(0, 3)), [0xff, 0xd8, 0xff], `GET ${media.url}: not a JPEG`);
  });

  const newDescription = "Updated by megalodon (PUT multipart)";
  await step("updateMedia(id, {description, focus})", async () => {
    const res = await client.updateMedia(media.id, { description: newDescription, focus: "0.25,-0.75" });
    assert.equal(res.status, 200);
    assert.equal(res.data.id, media.id);
    assert.equal(res.data.description, newDescription);
    assertFocus(res.data, 0.25, -0.75, "updateMedia response");
  });

  await step("getMedia(id) after update", async () => {
    const res = await client.getMedia(media.id);
    assert.equal(res.data.description, newDescription);
    assertFocus(res.data, 0.25, -0.75, "getMedia after update");
  });

  await step("getMedia(unknown id) rejects with 404", async () => {
    await assert.rejects(client.getMedia("1"), (error) => {
      assert.equal(error?.response?.status, 404, `expected 404, got ${describeError(error)}`);
      return true;
    });
  });

  await step("cleanup: DELETE /api/v1/media/:id (plain fetch)", async () => {
    const response = await fetch(`${baseUrl}/api/v1/media/${media.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(response.status, 200, `DELETE: HTTP ${response.status}`);
  });
}

await runFlow("megalodon", main, describeError);
