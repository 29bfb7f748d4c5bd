// The web app at / as a person uses it, in Debian's Chromium: sign in through the server's own
// pages (the app registers itself, PKCE), upload an image and a video with a progress bar each, set
// the focal point by clicking and with the arrow keys, write alt text, see the video turn ready
// without a reload, see the server's refusal of a file that lies in words and a type refused before
// a byte is sent, give an audio a thumbnail, see posted media in the library, resume a throttled
// 20 MB upload cut by a reload, and sign out (the token is revoked). Checked through the API the app
// itself uses. A cold first load of the upload page is measured against its 300 KB budget.
//
// Environment:
//   MEDIARY_URL, MEDIARY_USERNAME, MEDIARY_PASSWORD  the server and an account that can sign in
//   MEDIARY_IMAGE     a JPEG
//   MEDIARY_VIDEO     a short video that is transcoded (so it is "processing" for a moment)
//   MEDIARY_AUDIO     an audio file without cover art
//   MEDIARY_LARGE_VIDEO  a video of about 20 MB that passes through, for the reload
//   MEDIARY_WORK      a scratch directory; MEDIARY_FFMPEG compares the stored video's streams (default: ffmpeg)
//   MEDIARY_CHROMIUM  the browser (default /usr/bin/chromium)
//   MEDIARY_SCREENSHOT_DIR  where to write webapp-*-390.png and -1280.png (optional)

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { requireEnv, runFlow, step } from "./harness.mjs";
import { apiCaller, launchBrowser, newPage, signInThroughWebApp } from "./browser.mjs";
import { accessibilityProblems, expectCleanPage, watchPage } from "./page-checks.mjs";
import { startTusProxy } from "./tus-proxy.mjs";
import { assertStoredStreams, streamHashes } from "./tus-server.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const username = requireEnv("MEDIARY_USERNAME");
const password = requireEnv("MEDIARY_PASSWORD");
const imagePath = requireEnv("MEDIARY_IMAGE");
const videoPath = requireEnv("MEDIARY_VIDEO");
const audioPath = requireEnv("MEDIARY_AUDIO");
const largeVideoPath = requireEnv("MEDIARY_LARGE_VIDEO");
const streams = { ffmpeg: process.env.MEDIARY_FFMPEG || "ffmpeg", workDirectory: requireEnv("MEDIARY_WORK") };
const screenshotDir = process.env.MEDIARY_SCREENSHOT_DIR;

/** Hands the page a file as a drop on the drop zone or as a paste, the way a browser delivers one. */
async function deliver(page, how, file) {
  await page.evaluate(({ how, name, type, base64 }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
    if (how === "paste") {
      document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
      return;
    }
    const zone = document.getElementById("drop");
    for (const kind of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { how, name: file.name, type: file.mimeType, base64: file.buffer.toString("base64") });
}

async function main() {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);
  const problems = await watchPage(page);
  const uploadRequests = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/v2/media/uploads")) uploadRequests.push(`${request.method()} ${request.url()}`);
  });
  let token;
  const api = apiCaller(baseUrl, () => token);

  try {
    await step("the page asks to sign in, under a strict policy", async () => {
      const response = await page.goto(`${baseUrl}/`);
      assert.equal(response.status(), 200);
      await expectCleanPage(page, response, problems);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      assert.deepEqual(await accessibilityProblems(page), [], "axe-core on the sign-in prompt");
    });

    await step("sign in through the server's pages, back in the app", async () => {
      token = await signInThroughWebApp(page, baseUrl, username, password, ["read", "write"],
        async (what) => assert.deepEqual(await accessibilityProblems(page), [], `axe-core on ${what}`));
      assert.equal(await page.locator("#session span").textContent(), `@${username}`);
      assert.equal((await api("/api/v1/accounts/verify_credentials")).json.username, username);
      return "signed in";
    });

    await step("a cold first load of the upload page transfers at most 300 KB; a warm one fetches no asset again", async () => {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.clearBrowserCache");
      const entries = async () => {
        await page.reload();
        await page.locator("#drop").waitFor();
        await page.waitForLoadState("networkidle");
        return page.evaluate(() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
          .map((entry) => ({ name: entry.name, transfer: entry.transferSize, encoded: entry.encodedBodySize, decoded: entry.decodedBodySize })));
      };
      const cold = await entries();
      const total = cold.reduce((sum, entry) => sum + entry.transfer, 0);
      assert.ok(total > 0 && total <= 300_000, `a cold load transferred ${total} bytes: ${JSON.stringify(cold)}`);
      const assets = cold.filter((entry) => /\/app\/main-[0-9a-f]{16}\.(js|css)$/.test(entry.name));
      assert.equal(assets.length, 2, `the hashed script and stylesheet: ${JSON.stringify(cold)}`);
      for (const asset of assets) assert.ok(asset.encoded < asset.decoded / 2, `${asset.name} is sent compressed: ${asset.encoded} of ${asset.decoded} bytes`);
      const warm = (await entries()).filter((entry) => assets.some((asset) => asset.name === entry.name));
      assert.deepEqual(warm.map((entry) => entry.transfer), [0, 0], "the hashed assets come from the cache on the next load");
      await cdp.detach();
      return `${total} bytes cold (script ${assets.find((a) => a.name.endsWith(".js")).transfer}, styles ${assets.find((a) => a.name.endsWith(".css")).transfer})`;
    });

    let imageId;
    await step("upload an image with the keyboard only: Tab to the file chooser, its focus shown, Space opens it; the bar reaches 100%", async () => {
      await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
      const path = [];
      while (path.length < 10 && path.at(-1) !== "input files") {
        await page.keyboard.press("Tab");
        path.push(await page.evaluate(() => `${document.activeElement.tagName.toLowerCase()} ${document.activeElement.id || document.activeElement.textContent.trim()}`));
      }
      assert.equal(path.at(-1), "input files", `Tab went through ${path.join(", ")}`);
      const ring = await page.locator("label[for=files]").evaluate((label) => getComputedStyle(label).outlineStyle + " " + getComputedStyle(label).outlineWidth);
      assert.equal(ring, "solid 3px", "the focus shows on the file chooser's label");
      const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
      await chooser.setFiles(imagePath);
      const item = page.locator("li.upload").first();
      await item.locator(".status", { hasText: "Ready" }).waitFor({ timeout: 60_000 });
      assert.equal(await item.locator("progress").getAttribute("value"), "100");
      assert.equal(await item.locator(".percent").textContent(), "100%");
      const listed = await api("/api/v1/mediary/media?type=image");
      imageId = listed.json[0].id;
      return `media ${imageId}, Tab through ${path.join(", ")}`;
    });

    await step("set the focal point by clicking, alt text with the limit counting down, save", async () => {
      const item = page.locator("li.upload").first();
      const picture = item.locator(".picker img");
      await picture.waitFor();
      const box = await picture.boundingBox();
      // Three quarters across, a quarter down: Mastodon's (0.5, 0.5).
      await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
      const text = "A hill at dusk";
      await item.getByLabel("Alt text").fill(text);
      const limit = (await api("/api/v2/instance")).json.configuration.media_attachments.description_limit;
      assert.equal(await item.locator(".counter").textContent(), `${limit - text.length} characters left`);
      await item.getByRole("button", { name: "Save" }).click();
      await item.locator(".saved", { hasText: "Saved" }).waitFor();
      const media = (await api(`/api/v1/media/${imageId}`)).json;
      assert.equal(media.description, text);
      assert.ok(Math.abs(media.meta.focus.x - 0.5) <= 0.02 && Math.abs(media.meta.focus.y - 0.5) <= 0.02,
        `focus after the click: ${JSON.stringify(media.meta.focus)}`);
      return `focus ${media.meta.focus.x},${media.meta.focus.y}`;
    });

    await step("move the focal point with the arrow keys", async () => {
      const item = page.locator("li.upload").first();
      await item.locator(".picker").focus();
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowDown");
      await item.getByRole("button", { name: "Save" }).click();
      await item.locator(".saved", { hasText: "Saved" }).waitFor();
      const focus = (await api(`/api/v1/media/${imageId}`)).json.meta.focus;
      assert.ok(Math.abs(focus.x - 0.4) <= 0.021 && Math.abs(focus.y - 0.45) <= 0.021, `focus after the keys: ${JSON.stringify(focus)}`);
      // The crops follow the point.
      const position = await item.locator(".crop img").first().evaluate((image) => image.style.objectPosition);
      assert.match(position, /^7\d(\.\d+)?% 2\d(\.\d+)?%$/);
      assert.deepEqual(await accessibilityProblems(page), [], "axe-core on the upload page with the picker");
      if (screenshotDir) {
        mkdirSync(screenshotDir, { recursive: true });
        await item.screenshot({ path: join(screenshotDir, "webapp-picker-1280.png") });
        await page.setViewportSize({ width: 390, height: 844 });
        await item.screenshot({ path: join(screenshotDir, "webapp-picker-390.png") });
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      return `focus ${focus.x},${focus.y}, crop at ${position}`;
    });

    if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "webapp-upload-1280.png"), fullPage: true });

    await step("upload a video: processing, then ready without a reload", async () => {
      await page.evaluate(() => {
        window.__statuses = [];
        new MutationObserver(() => {
          const status = document.querySelector("li.upload .status")?.textContent;
          if (status && window.__statuses.at(-1) !== status) window.__statuses.push(status);
        }).observe(document.getElementById("uploads"), { subtree: true, childList: true, characterData: true });
      });
      await page.setInputFiles("#files", videoPath);
      const item = page.locator("li.upload").first();
      await item.locator(".status", { hasText: "Ready" }).waitFor({ timeout: 120_000 });
      const statuses = await page.evaluate(() => window.__statuses);
      assert.ok(statuses.includes("Processing"), `statuses seen: ${statuses.join(" → ")}`);
      assert.equal(statuses.at(-1), "Ready");
      return statuses.join(" → ");
    });

    await step("an audio gets a custom thumbnail: the server keeps it and the editor shows it", async () => {
      await page.setInputFiles("#files", audioPath);
      const item = page.locator("li.upload").first();
      await item.locator(".status", { hasText: "Ready" }).waitFor({ timeout: 120_000 });
      const audioId = (await api("/api/v1/mediary/media?type=audio")).json[0].id;
      assert.equal((await api(`/api/v1/media/${audioId}`)).json.preview_url, null, "no cover art, so no preview yet");
      await item.getByLabel("Choose a thumbnail").setInputFiles(imagePath);
      await item.locator(".saved", { hasText: "Thumbnail saved" }).waitFor();
      const audio = (await api(`/api/v1/media/${audioId}`)).json;
      assert.ok(audio.preview_url, "the audio has a preview now");
      const shown = item.locator(".picker img");
      assert.equal(await shown.getAttribute("src"), audio.preview_url);
      await shown.evaluate((image) => image.decode());
      const [width, height] = await shown.evaluate((image) => [image.naturalWidth, image.naturalHeight]);
      const original = (await api(`/api/v1/media/${imageId}`)).json.meta.original;
      assert.ok(Math.abs(width / height - original.width / original.height) < 0.02,
        `the thumbnail shown is ${width}×${height}, the picture chosen ${original.width}×${original.height}`);
      assert.equal(await item.getByLabel("Replace the thumbnail").count(), 1);
      return `preview ${width}×${height}`;
    });

    await step("a pasted file that lies about its type: the server's refusal in words", async () => {
      await deliver(page, "paste", { name: "not-really.png", mimeType: "image/png", buffer: randomBytes(4096) });
      const item = page.locator("li.upload").first();
      await item.locator(".status", { hasText: "Validation failed" }).waitFor();
      assert.equal(await item.locator(".status").textContent(), "Validation failed: File content type is invalid, File is invalid");
    });

    await step("a type Mediary does not take is refused before a byte is sent", async () => {
      const before = uploadRequests.length;
      await page.setInputFiles("#files", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
      const item = page.locator("li.upload").first();
      await item.locator(".status", { hasText: "text/plain is not a type Mediary takes." }).waitFor();
      assert.equal(uploadRequests.length, before, "no upload request for a refused type");
    });

    let videoId;
    await step("a second image dropped on the page, then the library: a tile for each, filtered by type", async () => {
      await deliver(page, "drop", { name: "dropped.jpg", mimeType: "image/jpeg", buffer: readFileSync(imagePath) });
      assert.equal(await page.locator("li.upload .name").first().textContent(), "dropped.jpg");
      await page.locator("li.upload").first().locator(".status", { hasText: "Ready" }).waitFor({ timeout: 60_000 });
      videoId = (await api("/api/v1/mediary/media?type=video")).json[0]?.id;
      assert.ok(videoId, "the video is listed by the API");
      await page.getByRole("button", { name: "Library" }).click();
      await page.locator("li.tile").nth(2).waitFor();
      assert.equal(await page.locator("li.tile").count(), 4, "two images, the video and the audio");
      await page.getByLabel("Type").selectOption("image");
      await page.locator(`li.tile[data-type="video"]`).waitFor({ state: "detached" });
      assert.deepEqual(await page.locator("li.tile").evaluateAll((tiles) => tiles.map((tile) => tile.dataset.type)), ["image", "image"]);
      await page.getByLabel("Type").selectOption("");
      await page.locator(`li.tile[data-type="video"]`).waitFor();
      assert.deepEqual(await accessibilityProblems(page), [], "axe-core on the library");
    });

    await step("a tile's details: its facts and URLs as the API has them", async () => {
      await page.locator(`li.tile[data-id="${imageId}"] button.open`).click();
      const detail = page.locator("#detail");
      await detail.waitFor();
      const media = (await api(`/api/v1/media/${imageId}`)).json;
      assert.equal(await detail.locator('dd[data-fact="Type"]').textContent(), "image");
      assert.equal(await detail.locator('dd[data-fact="Dimensions"]').textContent(), `${media.meta.original.width}×${media.meta.original.height}`);
      const stored = (await (await fetch(media.url)).arrayBuffer()).byteLength;
      assert.equal(await detail.locator('dd[data-fact="File size"]').getAttribute("title"), `${stored} bytes`);
      assert.equal(await detail.locator('code[data-url="File"]').textContent(), media.url);
      await detail.getByRole("button", { name: "Close" }).click();
    });

    await step("Mastodon's rules before posting, then a post with two images", async () => {
      const images = (await api("/api/v1/mediary/media?type=image")).json.map((media) => media.id);
      await page.locator(`#choose-${images[0]}`).check();
      await page.locator(`#choose-${videoId}`).check();
      assert.equal(await page.locator("#post-rule").textContent(), "Cannot attach a video to a post that already contains images");
      assert.equal(await page.locator("#post").isDisabled(), true);
      await page.locator(`#choose-${videoId}`).uncheck();
      await page.locator(`#choose-${images[1]}`).check();
      assert.equal(await page.locator("#post").isDisabled(), false);
      await page.getByLabel("Text").fill("Two pictures");
      await page.locator("#post").click();
      await page.locator(".compose .saved", { hasText: "Posted, with 2 media." }).waitFor();
      const account = (await api("/api/v1/accounts/verify_credentials")).json;
      const statuses = (await api(`/api/v1/accounts/${account.id}/statuses?only_media=true`)).json;
      assert.equal(statuses.length, 1);
      assert.deepEqual(statuses[0].media_attachments.map((media) => media.id).sort(), [...images].sort());
      // Posted media leave the list of media not yet in a status, and are under "In posts".
      await page.locator(`li.tile[data-id="${images[0]}"]`).waitFor({ state: "detached" });
      await page.getByLabel("Show").selectOption("posted");
      await page.locator(`li.tile[data-id="${images[1]}"]`).waitFor();
      assert.deepEqual((await page.locator("li.tile").evaluateAll((tiles) => tiles.map((tile) => tile.dataset.id))).sort(), [...images].sort());
      assert.equal(await page.locator("li.tile input[type=checkbox]").count(), 0, "a posted media cannot be chosen again");
      await page.locator(`li.tile[data-id="${images[0]}"] button.open`).click();
      assert.equal(await page.locator("#detail a").getAttribute("href"), statuses[0].url);
      assert.equal(await page.locator("#delete").count(), 0, "no Delete for a media a post uses");
      await page.getByLabel("Type").selectOption("video");
      await page.locator("li.tile").first().waitFor({ state: "detached" });
      await page.getByLabel("Type").selectOption("");
      await page.getByLabel("Show").selectOption("unattached");
      await page.locator(`li.tile[data-id="${videoId}"]`).waitFor();
    });

    await step("delete the video from its details", async () => {
      await page.locator(`li.tile[data-id="${videoId}"] button.open`).click();
      await page.locator("#delete").click();
      await page.getByRole("button", { name: "Delete for good?" }).click();
      await page.locator(`li.tile[data-id="${videoId}"]`).waitFor({ state: "detached" });
      assert.equal((await api(`/api/v1/media/${videoId}`)).status, 404);
    });

    await step("at phone width everything fits", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const library = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(library <= 0, `the library scrolls sideways by ${library} px at 390 px`);
      if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "webapp-library-390.png"), fullPage: true });
      await page.getByRole("button", { name: "Upload" }).click();
      await page.locator("#drop").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 390 px`);
      if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "webapp-upload-390.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step("at 2 MB/s: Cancel removes an upload; one goes on while the library is open; a reload halfway through 20 MB resumes it with less than 1.2 times the file on the wire", async () => {
      // The app at a counting proxy's origin: every body byte the browser sends passes through it.
      const proxy = await startTusProxy(baseUrl);
      const slow = await newPage(context);
      const slowProblems = await watchPage(slow);
      try {
        await slow.goto(`${proxy.url}/`);
        await slow.evaluate((bearer) => localStorage.setItem("mediary.token", bearer), token);
        const cdp = await context.newCDPSession(slow);
        await cdp.send("Network.enable");
        const rate = 2 * 1024 * 1024;
        await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: rate, uploadThroughput: rate });
        await slow.reload();
        await slow.locator("#drop").waitFor();
        const size = statSync(largeVideoPath).size;

        // Cancel first: the upload goes from the page and from the server.
        const created = proxy.requests.length;
        await slow.setInputFiles("#files", largeVideoPath);
        await slow.waitForFunction(() => Number(document.querySelector("li.upload progress")?.value ?? 0) >= 5, null, { timeout: 60_000 });
        await slow.locator("li.upload").getByRole("button", { name: "Cancel" }).click();
        await slow.locator("li.upload").waitFor({ state: "detached" });
        const location = proxy.requests.slice(created).find((request) => request.method === "POST")?.headers.location;
        assert.ok(location, "the upload was created");
        // The page removes the file once the server has answered the termination.
        const gone = await fetch(location, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${token}` } });
        assert.equal(gone.status, 404, "the cancelled upload is gone from the server");

        const first = proxy.requests.length;
        await slow.setInputFiles("#files", largeVideoPath);
        const progress = () => slow.evaluate(() => Number(document.querySelector("li.upload progress")?.value ?? -1));
        await slow.waitForFunction(() => Number(document.querySelector("li.upload progress")?.value ?? 0) >= 10, null, { timeout: 60_000 });
        const before = await progress();
        await slow.getByRole("button", { name: "Library" }).click();
        await slow.locator("#library").waitFor();
        await slow.getByRole("button", { name: "Upload" }).click();
        await slow.locator("li.upload progress").waitFor();
        assert.ok(await progress() >= before, `the upload is still listed, at ${await progress()}% (was ${before}%)`);
        await slow.waitForFunction(() => Number(document.querySelector("li.upload progress")?.value ?? 0) >= 45, null, { timeout: 60_000 });
        await slow.reload();
        await slow.locator("#unfinished", { hasText: "Unfinished" }).waitFor();
        const resumedAt = proxy.requests.length;
        await slow.setInputFiles("#files", largeVideoPath);
        await slow.locator("li.upload .status", { hasText: "Ready" }).waitFor({ timeout: 120_000 });
        const wire = proxy.bodyBytesSince(first);
        const after = proxy.requests.slice(resumedAt);
        assert.equal(after.filter((request) => request.method === "POST").length, 0, "no new upload after the reload");
        const resumed = after.find((request) => request.method === "PATCH");
        assert.ok(Number(resumed?.offset) >= size * 0.4, `the first PATCH after the reload starts at ${resumed?.offset} of ${size}`);
        assert.ok(wire < 1.2 * size, `${wire} bytes on the wire for a ${size}-byte file`);
        const media = (await api("/api/v1/mediary/media?type=video")).json[0];
        await assertStoredStreams(streams, media, await streamHashes(streams.ffmpeg, largeVideoPath), "the resumed upload");
        assert.deepEqual(slowProblems, []);
        await cdp.detach();
        return `${(wire / size).toFixed(3)}× the file on the wire, resumed at ${resumed.offset} of ${size}`;
      } finally {
        await slow.close();
        await proxy.close();
      }
    });

    await step("sign out: the token is revoked", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      const after = await fetch(`${baseUrl}/api/v1/accounts/verify_credentials`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(after.status, 401);
      assert.equal(await page.evaluate(() => localStorage.getItem("mediary.token")), null);
    });

    await step("no console errors and no CSP violations all along", async () => {
      // Chromium logs every 4xx answer to a script's request: the lying file's 422 is the one expected.
      const unexpected = problems.filter((problem) => !(problem.includes("status of 422") && problem.includes("/api/v2/media/uploads/")));
      assert.deepEqual(unexpected, []);
    });
  } finally {
    await browser.close();
  }
}

await runFlow("webapp", main, (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
