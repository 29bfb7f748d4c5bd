// What a person sees on the server's sign-in, consent and error pages, in a real browser (Debian's
// Chromium): wrong passwords, Deny, an unregistered redirect_uri, the out-of-band code page, the
// keyboard, a phone-sized screen, and no console errors or Content-Security-Policy violations.
//
// Environment:
//   MEDIARY_URL             base URL of the server
//   MEDIARY_USERNAME        an account that can sign in ...
//   MEDIARY_PASSWORD        ... with this password
//   MEDIARY_SCREENSHOT_DIR  where sign-in-390.png and consent-390.png go (not written when unset)
//   MEDIARY_CHROMIUM        the browser (default /usr/bin/chromium)
//
// Prints one line per step; exits 1 with "FAIL <step>: <reason>" on the first failure.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { independentStep, requireEnv, runFlow, step } from "./harness.mjs";
import { decide, expectConsentPage, launchBrowser, newPage, postForm, randomState, signIn, startListener } from "./browser.mjs";
import { checkPhoneLayout, expectCleanPage, expectErrorPage, focusedControl, watchPage } from "./page-checks.mjs";

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const username = requireEnv("MEDIARY_USERNAME");
const password = requireEnv("MEDIARY_PASSWORD");
const screenshotDir = process.env.MEDIARY_SCREENSHOT_DIR;

const appName = "Mediary page check";
const scopes = ["read", "write:media"];
const outOfBand = "urn:ietf:wg:oauth:2.0:oob";

function describeError(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function authorizeUrl(app, fields) {
  const url = new URL(`${baseUrl}/oauth/authorize`);
  const all = { response_type: "code", client_id: app.client_id, scope: scopes.join(" "), ...fields };
  for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  return url.href;
}

async function main() {
  const callback = await startListener("/callback");
  // Where an attacker would like the code to go: the application never registered it.
  const trap = await startListener("/not-registered");
  const browser = await launchBrowser();
  try {
    let app;
    await step("register an application with a loopback and the out-of-band redirect_uri", async () => {
      const { status, json } = await postForm(`${baseUrl}/api/v1/apps`, {
        client_name: appName, redirect_uris: `${callback.url}\n${outOfBand}`, scopes: scopes.join(" "),
      });
      assert.equal(status, 200, JSON.stringify(json));
      app = json;
    });
    // The phone first: once the account has a token for the app, the consent page is skipped.
    await phonePages(browser, app);
    await desktopPages(browser, app, callback, trap);
    await returningUser(browser, app, callback);
    await throttledSignIn(browser, app, callback);
  } finally {
    await browser.close();
    await callback.close();
    await trap.close();
  }
}

async function desktopPages(browser, app, callback, trap) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await newPage(context);
  const problems = await watchPage(page);
  const state = randomState();
  const askCallback = authorizeUrl(app, { redirect_uri: callback.url, state });

  await step("sign-in page: no console errors, no CSP violations, a strict CSP", async () => {
    const response = await page.goto(askCallback);
    assert.equal(new URL(page.url()).pathname, "/auth/sign_in", `the browser is at ${page.url()}`);
    await expectCleanPage(page, response, problems);
  });

  await step("a wrong password shows the error, keeps the name and sends nothing to the redirect_uri", async () => {
    await signIn(page, username, `${password}-wrong`);
    const alert = page.getByRole("alert");
    assert.equal(await alert.textContent(), "Invalid username, e-mail address or password.");
    assert.equal(await page.locator("p.error").count(), 1);
    assert.equal(new URL(page.url()).pathname, "/auth/sign_in");
    assert.equal(await page.getByLabel("Username or e-mail address").inputValue(), username);
    assert.equal(await page.getByLabel("Password", { exact: true }).inputValue(), "", "the wrong password is not shown again");
    assert.equal(callback.requests.length, 0, `the redirect_uri was called: ${callback.requests}`);
  });

  await step("keyboard only: Tab reaches username, password and Sign in in that order; Enter signs in", async () => {
    await page.goto(askCallback);
    // The cursor starts in the username box (autofocus, applied once the page has rendered) ...
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "username");
    // ... then start from the top of the page, as a keyboard user who has moved away does.
    await page.mouse.click(1, 1);
    assert.equal(await focusedControl(page), "nothing");
    const order = [];
    for (const text of [username, password]) {
      await page.keyboard.press("Tab");
      order.push(await focusedControl(page));
      await page.keyboard.type(text);
    }
    await page.keyboard.press("Tab");
    order.push(await focusedControl(page));
    assert.deepEqual(order, ["input username", "input password", "button Sign in"]);
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/oauth/authorize");
  });

  await step("consent page: the app and its scopes, no console errors, no CSP violations", async () => {
    const response = await page.reload();
    await expectConsentPage(page, appName, scopes);
    await expectCleanPage(page, response, problems);
  });

  await step("Deny returns to the redirect_uri with error=access_denied and the state, and no code", async () => {
    const arrived = await decide(page, callback, "Deny");
    assert.equal(arrived.pathname, "/callback");
    assert.equal(arrived.searchParams.get("error"), "access_denied", `${arrived}`);
    assert.equal(arrived.searchParams.get("state"), state);
    assert.equal(arrived.searchParams.get("code"), null, `a code came with the denial: ${arrived}`);
  });

  await step("out-of-band: approving shows the code on a page, and that code gets a token", async () => {
    await page.goto(authorizeUrl(app, { redirect_uri: outOfBand }));
    await expectConsentPage(page, appName, scopes);
    await page.getByRole("button", { name: "Authorize", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/oauth/authorize/native");
    const code = (await page.locator("code#authorization-code").textContent())?.trim();
    assert.ok(code, "no code on the page");
    assert.ok(await page.locator("code#authorization-code").isVisible(), "the code is not visible");
    const { status, json } = await postForm(`${baseUrl}/oauth/token`, {
      grant_type: "authorization_code", code, redirect_uri: outOfBand, client_id: app.client_id, client_secret: app.client_secret,
    });
    assert.equal(status, 200, `the code shown did not get a token: ${JSON.stringify(json)}`);
    assert.equal(json.scope, scopes.join(" "));
  });

  await step("an unregistered redirect_uri shows the error page and the browser never goes there", async () => {
    const response = await page.goto(authorizeUrl(app, { redirect_uri: trap.url, state }));
    await expectErrorPage(page, response);
    assert.equal(new URL(page.url()).origin, baseUrl);
    // The page has no button that would send the browser there either.
    assert.equal(await page.locator("form, a[href*='not-registered']").count(), 0);
    assert.equal(trap.requests.length, 0, `the unregistered URI was called: ${trap.requests}`);
  });

  await step("an unknown client_id shows the error page", async () => {
    const response = await page.goto(authorizeUrl({ client_id: "no-such-application" }, { redirect_uri: callback.url, state }));
    await expectErrorPage(page, response);
    assert.equal(callback.requests.length, 1, "only the denial reached the redirect_uri");
  });
  await context.close();
}

async function phonePages(browser, app) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await newPage(context);
  const problems = await watchPage(page);
  if (screenshotDir) mkdirSync(screenshotDir, { recursive: true });

  await step("390 px wide: the sign-in page fits the screen", async () => {
    const response = await page.goto(authorizeUrl(app, { redirect_uri: outOfBand }));
    assert.equal(new URL(page.url()).pathname, "/auth/sign_in");
    await expectCleanPage(page, response, problems);
    await checkPhoneLayout(page, screenshotDir && join(screenshotDir, "sign-in-390.png"));
  });

  await step("390 px wide: the consent page fits the screen", async () => {
    await signIn(page, username, password);
    await page.waitForURL((url) => url.pathname === "/oauth/authorize");
    await expectConsentPage(page, appName, scopes);
    await expectCleanPage(page, null, problems);
    await checkPhoneLayout(page, screenshotDir && join(screenshotDir, "consent-390.png"));
  });
  await context.close();
}

/**
 * Mastodon does not ask again for what the account already granted (a token of the app for these scopes):
 * signing in on another browser leads straight back to the application with a code.
 */
async function returningUser(browser, app, callback) {
  const context = await browser.newContext();
  const page = await newPage(context);
  const problems = await watchPage(page);
  await independentStep("already authorized: after signing in on another browser, straight back to the app with a code", async () => {
    const state = randomState();
    await page.goto(authorizeUrl(app, { redirect_uri: callback.url, state }));
    assert.equal(new URL(page.url()).pathname, "/auth/sign_in");
    const [arrived] = await Promise.all([
      callback.nextRequest().catch((error) => {
        throw new Error(`${error.message}; the browser stayed at ${page.url()}; the page logged: ${JSON.stringify(problems)}`);
      }),
      signIn(page, username, password),
    ]);
    assert.equal(arrived.searchParams.get("state"), state);
    assert.ok(arrived.searchParams.get("code"), `no code on ${arrived}`);
    await page.waitForURL((url) => url.origin === callback.base);
  }, describeError);
  await context.close();
}

/** Last: it locks this address out of signing in for the rest of the throttle's window. */
async function throttledSignIn(browser, app, callback) {
  const context = await browser.newContext();
  const page = await newPage(context);
  await step("after too many wrong passwords: 429, a message saying when to try again, Retry-After", async () => {
    await page.goto(authorizeUrl(app, { redirect_uri: callback.url }));
    const calledBefore = callback.requests.length;
    let response;
    for (let attempt = 1; attempt <= 40; attempt++) {
      // Marks this document, to wait below for the page the answer brings rather than type into this one.
      await page.evaluate(() => { window.beforeAttempt = true; });
      [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/auth/sign_in"),
        signIn(page, username, `${password}-wrong-${attempt}`),
      ]);
      await page.waitForFunction(() => !window.beforeAttempt && document.readyState === "complete");
      if (response.status() === 429) break;
      assert.equal(await page.getByRole("alert").textContent(), "Invalid username, e-mail address or password.", `attempt ${attempt}`);
    }
    assert.equal(response.status(), 429, "still no 429 after 40 wrong passwords");
    assert.match((await response.allHeaders())["retry-after"] ?? "", /^[1-9][0-9]*$/, "Retry-After in seconds");
    assert.match(await page.getByRole("alert").textContent(), /try again/i);
    assert.equal(callback.requests.length, calledBefore, "the wrong passwords sent nothing to the redirect_uri");
  });
  await context.close();
}

await runFlow("oauth pages", main, describeError);
