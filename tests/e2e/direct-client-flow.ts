// The direct upload flow through a client generated from /openapi/direct.json: openapi-typescript
// makes ./generated/direct-api.ts, tsc checks this file against it (paths, parameters, bodies and
// answers are typed by the document), and openapi-fetch runs it against the server.
// Run by tests/Mediary.Tests/OpenApi/DirectClientTests.cs; MEDIARY_URL, MEDIARY_KEY, MEDIARY_IMAGE.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import createClient from "openapi-fetch";
import type { paths } from "./generated/direct-api.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const baseUrl = env("MEDIARY_URL");
const image = await readFile(env("MEDIARY_IMAGE"));
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${env("MEDIARY_KEY")}` } });

// 1. Declare the file.
const declared = await client.POST("/v1/media/upload", {
  body: { filename: "testcard.jpg", content_type: "image/jpeg", size: image.length },
});
assert.equal(declared.response.status, 200, JSON.stringify(declared.error));
const ticket = declared.data!.data;
assert.equal(ticket.status, "pending_upload");
assert.equal(ticket.upload_method.method, "PUT");
console.log(`ok 1 declared ${ticket.media_id}, provider ${ticket.provider}`);

// 2. PUT the bytes to upload_url: no API key, the declared Content-Type.
const uploadUrl = new URL(ticket.upload_url);
if (ticket.provider === "local") {
  const uploadClient = createClient<paths>({ baseUrl: uploadUrl.origin });
  const uploaded = await uploadClient.PUT("/v1/uploads/{id}", {
    params: {
      path: { id: ticket.media_id },
      query: { expires: Number(uploadUrl.searchParams.get("expires")), signature: uploadUrl.searchParams.get("signature")! },
    },
    body: image as unknown as string,
    bodySerializer: (body: unknown) => body as BodyInit,
    headers: { "Content-Type": ticket.upload_method.content_type },
    parseAs: "text",
  });
  assert.equal(uploaded.response.status, 200, JSON.stringify(uploaded.error));
} else {
  // An S3 presigned URL is S3's, not in the document.
  const uploaded = await fetch(ticket.upload_url, { method: "PUT", body: image, headers: ticket.upload_method.headers });
  assert.equal(uploaded.status, 200);
}
console.log("ok 2 uploaded");

// 3. Complete.
const completed = await client.POST("/v1/media/{id}/complete", { params: { path: { id: ticket.media_id } } });
assert.equal(completed.response.status, 200, JSON.stringify(completed.error));
assert.equal(completed.data!.data.status, "ready");
assert.equal(completed.data!.data.type, "image");
console.log(`ok 3 completed: ${completed.data!.data.width}x${completed.data!.data.height}`);

// 4. Get it, and find it in the list.
const fetched = await client.GET("/v1/media/{id}", { params: { path: { id: ticket.media_id } } });
assert.equal(fetched.response.status, 200);
assert.ok(fetched.data!.data.url, "a ready media has a url");
const listed = await client.GET("/v1/media", { params: { query: { status: "ready", limit: 10 } } });
assert.ok(listed.data!.data.items.some((item) => item.media_id === ticket.media_id));
console.log(`ok 4 got ${fetched.data!.data.url}`);

// 5. Post it.
const posted = await client.POST("/v1/posts", { body: { content: "Hello from a generated client", media_ids: completed.data!.data.media_ids } });
assert.equal(posted.response.status, 201, JSON.stringify(posted.error));
assert.deepEqual(posted.data!.data.media_ids, [ticket.media_id]);
const post = await client.GET("/v1/posts/{id}", { params: { path: { id: posted.data!.data.id } } });
assert.equal(post.data!.data.content, "Hello from a generated client");
console.log(`ok 5 posted ${posted.data!.data.id}`);

// 6. Errors come typed as the envelope.
const inUse = await client.DELETE("/v1/media/{id}", { params: { path: { id: ticket.media_id } } });
assert.equal(inUse.response.status, 400);
assert.equal(inUse.error!.error.code, "media_in_use");
const usage = await client.GET("/v1/usage");
assert.equal(usage.data!.data.media_count, 1);
console.log("ok 6 media_in_use while posted; usage counts 1 media");
