// The web app's operator's view as an admin uses it, in Debian's Chromium: sign in through the
// server's pages (the consent page lists the admin scopes too), see every account with the storage
// it uses, find a job that really failed with its reason and retry it, create a token for another
// account (shown once, copied), see it work, revoke it and see it refused. Checked through the
// admin API the view itself uses.
//
// Environment:
//   MEDIARY_URL, MEDIARY_USERNAME, MEDIARY_PASSWORD  the server and an admin account that can sign in
//   MEDIARY_OTHER_USERNAME  another account, with stored media
//   MEDIARY_FAILED_MEDIA    the id of a media whose processing job failed
//   MEDIARY_CHROMIUM  the browser (default /usr/bin/chromium)
//   MEDIARY_SCREENSHOT_DIR  where to write webapp-operator-390.png and -1280.png (optional)

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { requireEnv, runFlow, sleep, step } from "./harness.mjs";
import { apiCaller, launchBrowser, newPage, signInThroughWebApp } from "./browser.mjs";
import { accessibilityProblems, checkPhoneLayout, expectCleanPage, watchPage } from "./page-checks.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const username = requireEnv("MEDIARY_USERNAME");
const password = requireEnv("MEDIARY_PASSWORD");
const other = requireEnv("MEDIARY_OTHER_USERNAME");
const failedMedia = requireEnv("MEDIARY_FAILED_MEDIA");
const screenshotDir = process.env.MEDIARY_SCREENSHOT_DIR;
const admin = "/api/v1/mediary/admin";

async function main() {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await newPage(context);
  const problems = await watchPage(page);
  let token;
  const api = apiCaller(baseUrl, () => token);
  const jobOf = async (state) => (await api(`${admin}/jobs${state ? `?state=${state}` : ""}`)).json.find((job) => job.media_id === failedMedia);

  try {
    await step("an admin signs in: the consent page lists the admin scopes, the app offers the Operator view", async () => {
      const response = await page.goto(`${baseUrl}/`);
      await expectCleanPage(page, response, problems);
      token = await signInThroughWebApp(page, baseUrl, username, password, ["read", "write", "admin:read", "admin:write"]);
      await page.getByRole("button", { name: "Operator", exact: true }).click();
      return "signed in as an admin";
    });

    await step("the accounts, with the storage each uses as the admin API counts it", async () => {
      const listed = (await api(`${admin}/accounts`)).json.find((account) => account.username === other);
      const used = listed.usage.used_bytes;
      assert.ok(used >= 1024 && used < 1024 * 1024, `the other account stores a few KB of media, not ${used} bytes`);
      const row = page.locator("#accounts tbody tr", { hasText: `@${other}` });
      const storage = `${(used / 1024).toFixed(1)} KB in ${listed.usage.media_count} media`;
      await row.locator('td[data-label="Storage used"]', { hasText: storage }).waitFor();
      assert.equal(await row.locator('td[data-label="Quota"]').textContent(), "No quota");
      assert.match(await page.locator("#accounts tbody tr", { hasText: `@${username}` }).textContent(), /admin/);
      return storage;
    });

    let jobId;
    await step("the failed job, with its attempts and its reason", async () => {
      const job = await jobOf("failed");
      assert.ok(job, "the admin API lists the media's job as failed");
      jobId = job.id;
      await page.getByLabel("State").selectOption("failed");
      const row = page.locator(`#jobs tr[data-id="${jobId}"]`);
      await row.waitFor();
      assert.equal(await row.locator('td[data-label="Kind"]').textContent(), "media.process");
      assert.equal(await row.locator('td[data-label="Media"]').textContent(), failedMedia);
      assert.equal(await row.locator('td[data-label="State"]').textContent(), "failed");
      assert.equal(await row.locator('td[data-label="Attempts"]').textContent(), "1 of 1");
      const reason = await row.locator('td[data-label="Last error"]').textContent();
      assert.equal(reason, job.last_error);
      assert.match(reason, /ffmpeg/);
      await row.getByRole("button", { name: /^Retry/ }).waitFor();
      await row.getByRole("button", { name: /^Discard/ }).waitFor();
      return reason.slice(0, 80);
    });

    let secret;
    let created;
    await step("a token for another account: shown once, copied, and it works", async () => {
      await page.getByLabel("Account's username").fill(other);
      await page.getByLabel("write:media upload media only").check();
      await page.getByRole("button", { name: "Create token" }).click();
      const shown = page.locator("#token-secret code.token");
      await shown.waitFor();
      secret = await shown.textContent();
      await page.getByRole("button", { name: "Copy token" }).click();
      await page.locator("#token-secret", { hasText: "Copied." }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
      // Listed for the account, with the scopes chosen, not used before.
      created = (await api(`${admin}/tokens`)).json.find((listed) => listed.username === other && listed.scopes.join(" ") === "read write:media");
      assert.ok(created, "the admin API lists the token");
      const row = page.locator(`#tokens tr[data-id="${created.id}"]`);
      await row.waitFor();
      assert.deepEqual(await row.locator('td[data-label="Scopes"] code').allTextContents(), ["read", "write:media"]);
      assert.equal(await row.locator('td[data-label="Account"]').textContent(), `@${other}`);
      await row.locator('td[data-label="Last used"]', { hasText: "never" }).waitFor();
      const me = await api("/api/v1/accounts/verify_credentials", {}, secret);
      assert.equal(me.status, 200);
      assert.equal(me.json.username, other);
      return `a token for @${other}`;
    });

    await step("the token's use shows as its last use", async () => {
      await page.getByRole("button", { name: "Operator", exact: true }).click();
      created = (await api(`${admin}/tokens`)).json.find((listed) => listed.id === created.id);
      assert.ok(created.last_used_at, "the admin API has its last use");
      const used = page.locator(`#tokens tr[data-id="${created.id}"] td[data-label="Last used"] time`);
      await used.waitFor();
      assert.equal(await used.getAttribute("datetime"), created.last_used_at);
    });

    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.getByLabel("State").selectOption("failed");
      await page.locator(`#jobs tr[data-id="${jobId}"]`).waitFor();
      await page.screenshot({ path: join(screenshotDir, "webapp-operator-1280.png"), fullPage: true });
    }

    await step("axe-core finds no serious problem on the operator view", async () => {
      assert.deepEqual(await accessibilityProblems(page), [], "axe-core on the operator view");
    });

    await step("Retry: the job is queued again and processed, and leaves the failed list", async () => {
      const row = page.locator(`#jobs tr[data-id="${jobId}"]`);
      await row.getByRole("button", { name: /^Retry/ }).click();
      await page.locator("#job-said", { hasText: `Job ${jobId} queued again.` }).waitFor();
      await row.waitFor({ state: "detached" });
      // Through the admin API: no longer failed; once processed, in no list at all (complete).
      assert.equal(await jobOf("failed"), undefined);
      for (let waited = 0; (await jobOf()) !== undefined; waited += 250) {
        assert.ok(waited < 120_000, "the retried job was not processed within 2 minutes");
        await sleep(250);
      }
      await page.getByLabel("State").selectOption("");
      await page.locator("#jobs td.empty", { hasText: "No jobs queued, running or failed." }).waitFor();
      return "processed";
    });

    await step("Revoke, asked twice: the token is refused from then on", async () => {
      const row = page.locator(`#tokens tr[data-id="${created.id}"]`);
      await row.getByRole("button", { name: /^Revoke/ }).click();
      await row.getByRole("button", { name: /^Revoke for good\?/ }).click();
      await page.locator("#token-said", { hasText: `The token of @${other} is revoked` }).waitFor();
      await row.waitFor({ state: "detached" });
      assert.equal((await api("/api/v1/accounts/verify_credentials", {}, secret)).status, 401);
    });

    await step("at phone width the view fits, its rows stacked", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const label = await page.locator('#accounts td[data-label="Storage used"]').first().evaluate((cell) => getComputedStyle(cell, "::before").content);
      assert.equal(label, '"Storage used"', "each cell says what it is");
      await checkPhoneLayout(page, screenshotDir ? join(screenshotDir, "webapp-operator-390.png") : undefined);
      assert.deepEqual(await accessibilityProblems(page), [], "axe-core on the operator view at 390 px");
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step("no console errors and no CSP violations all along", async () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await browser.close();
  }
}

await runFlow("webapp-operator", main, (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
