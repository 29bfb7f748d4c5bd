// The web app at / as a person uses it, in Debian's Chromium: sign in through the server's own
// pages (the app registers itself, PKCE), upload an image and a video with a progress bar each, set
// the focal point by clicking and with the arrow keys, write alt text, see the video turn ready
// without a reload, see the server's refusal of a file that lies in words and a type refused before
// a byte is sent, and sign out (the token is revoked). Checked through the API the app itself uses.
//
// Environment:
//   MEDIARY_URL, MEDIARY_USERNAME, MEDIARY_PASSWORD  the server and an account that can sign in
//   MEDIARY_IMAGE     a JPEG
//   MEDIARY_VIDEO     a short video that is transcoded (so it is "processing" for a moment)
//   MEDIARY_CHROMIUM  the browser (default /usr/bin/chromium)
//   MEDIARY_SCREENSHOT_DIR  where to write webapp-*-390.png and -1280.png (optional)

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { requireEnv, runFlow, step } from "./harness.mjs";
import { decide, expectConsentPage, launchBrowser, newPage, signIn } from "./browser.mjs";
import { accessibilityProblems, expectCleanPage, watchPage } from "./page-checks.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const username = requireEnv("MEDIARY_USERNAME");
const password = requireEnv("MEDIARY_PASSWORD");
const imagePath = requireEnv("MEDIARY_IMAGE");
const videoPath = requireEnv("MEDIARY_VIDEO");
const screenshotDir = process.env.MEDIARY_SCREENSHOT_DIR;

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
  const api = async (path, init = {}) => {
    const response = await fetch(baseUrl + path, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
    return { status: response.status, json: response.status === 204 ? null : await response.json() };
  };

  try {
    await step("the page asks to sign in, under a strict policy", async () => {
      const response = await page.goto(`${baseUrl}/`);
      assert.equal(response.status(), 200);
      await expectCleanPage(page, response, problems);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      assert.deepEqual(await accessibilityProblems(page), [], "axe-core on the sign-in prompt");
    });

    await step("sign in through the server's pages, back in the app", async () => {
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/auth\/sign_in|\/oauth\/authorize/);
      await signIn(page, username, password);
      await expectConsentPage(page, "Mediary web", ["read", "write"]);
      await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByRole("button", { name: "Authorize", exact: true }).click()]);
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      assert.equal(await page.locator("#session span").textContent(), `@${username}`);
      token = await page.evaluate(() => localStorage.getItem("mediary.token"));
      assert.ok(token, "the app keeps its token");
      assert.equal((await api("/api/v1/accounts/verify_credentials")).json.username, username);
      return "signed in";
    });

    let imageId;
    await step("upload an image: the progress bar reaches 100% and it is ready", async () => {
      await page.setInputFiles("#files", imagePath);
      const item = page.locator("li.upload").first();
      await item.locator(".status", { hasText: "Ready" }).waitFor({ timeout: 60_000 });
      assert.equal(await item.locator("progress").getAttribute("value"), "100");
      assert.equal(await item.locator(".percent").textContent(), "100%");
      const listed = await api("/api/v1/mediary/media?type=image");
      imageId = listed.json[0].id;
      return `media ${imageId}`;
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
      return `focus ${focus.x},${focus.y}, crop at ${position}`;
    });

    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, "webapp-upload-1280.png"), fullPage: true });
    }

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

    await step("a file that lies about its type: the server's refusal in words", async () => {
      await page.setInputFiles("#files", { name: "not-really.png", mimeType: "image/png", buffer: randomBytes(4096) });
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
    await step("a second image, then the library: a tile for each, filtered by type", async () => {
      await page.setInputFiles("#files", imagePath);
      await page.locator("li.upload").first().locator(".status", { hasText: "Ready" }).waitFor({ timeout: 60_000 });
      videoId = (await api("/api/v1/mediary/media?type=video")).json[0]?.id;
      assert.ok(videoId, "the video is listed by the API");
      await page.getByRole("button", { name: "Library" }).click();
      await page.locator("li.tile").nth(2).waitFor();
      assert.equal(await page.locator("li.tile").count(), 3, "two images and the video");
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
      assert.equal(await detail.locator('dd[data-fact="Size"]').textContent(), `${media.meta.original.width}×${media.meta.original.height}`);
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
      // Posted media leave the list of media not yet in a status.
      await page.locator(`li.tile[data-id="${images[0]}"]`).waitFor({ state: "detached" });
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
