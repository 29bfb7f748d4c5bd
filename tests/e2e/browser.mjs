// What the OAuth browser flows share: Debian's Chromium driven by playwright-core (never a
// downloaded browser), a loopback listener standing in for an application's redirect_uri, and the
// steps a person takes on the sign-in and consent pages.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { chromium } from "playwright-core";

/** Headless Chromium from MEDIARY_CHROMIUM or Debian's /usr/bin/chromium. */
export async function launchBrowser() {
  // Chromium refuses to start as root with its sandbox on (CI runs as root).
  const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  return chromium.launch({
    executablePath: process.env.MEDIARY_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args,
  });
}

/** A page whose every action gives up after 30 s, so a broken page fails the step instead of the whole flow's deadline. */
export async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/**
 * An HTTP listener on 127.0.0.1 (a native app's redirect_uri, RFC 8252 7.3) that records every request
 * it gets and answers with a short page, as an application's landing page would.
 */
export async function startListener(path = "/callback") {
  const requests = [];
  const waiting = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url, `http://${request.headers.host}`);
    // A browser asks for the icon of any page it shows: that is not the application being called.
    if (url.pathname === "/favicon.ico") return response.writeHead(404).end();
    requests.push(url);
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!DOCTYPE html><title>Signed in</title><h1>You can close this window.</h1>");
    waiting.splice(0).forEach((resolve) => resolve(url));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base + path,
    base,
    requests,
    /** The next request to arrive after this call. */
    nextRequest(timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no request reached ${base} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((url) => {
          clearTimeout(timer);
          resolve(url);
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Fills in the sign-in page by its labels, as a person reads it, and presses "Sign in". */
export async function signIn(page, username, password) {
  await page.getByLabel("Username or e-mail address").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Checks that the page is the consent page naming the application and these scopes, one <li> each. */
export async function expectConsentPage(page, appName, scopes) {
  assert.equal(await page.locator("h1").textContent(), "Authorization required", `not the consent page: ${page.url()}`);
  assert.equal((await page.locator("strong.app-name").textContent())?.trim(), appName, "the application's name on the consent page");
  const shown = await page.locator("ul.scopes > li code").allTextContents();
  assert.deepEqual(shown, scopes, "the scopes listed on the consent page");
  assert.equal(await page.locator("ul.scopes > li").count(), scopes.length, "one list item per scope");
}

/**
 * Signs in through the web app on the page: its Sign in button, the server's sign-in page, the
 * consent page naming "Mediary web" and `scopes`, Authorize; once the app is back and signed in,
 * returns the token it keeps. `checkPage(what)` runs on the sign-in and on the consent page.
 */
export async function signInThroughWebApp(page, baseUrl, username, password, scopes, checkPage = async () => {}) {
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/auth\/sign_in|\/oauth\/authorize/);
  await checkPage("the server's sign-in page");
  await signIn(page, username, password);
  await expectConsentPage(page, "Mediary web", scopes);
  await checkPage("the consent page");
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByRole("button", { name: "Authorize", exact: true }).click()]);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  const token = await page.evaluate(() => localStorage.getItem("mediary.token"));
  assert.ok(token, "the app keeps its token");
  return token;
}

/** Calls the API with a bearer token, by default `currentToken()`; answers { status, json } (json null for a 204). */
export function apiCaller(baseUrl, currentToken) {
  return async (path, init = {}, bearer = currentToken()) => {
    const response = await fetch(baseUrl + path, { ...init, headers: { Authorization: `Bearer ${bearer}`, ...init.headers } });
    return { status: response.status, json: response.status === 204 ? null : await response.json() };
  };
}

/** Presses Authorize or Deny and returns the request the application's listener then receives. */
export async function decide(page, listener, button) {
  const [arrived] = await Promise.all([listener.nextRequest(), page.getByRole("button", { name: button, exact: true }).click()]);
  await page.waitForURL((url) => url.origin === listener.base);
  return arrived;
}

/** An RFC 7636 code verifier and its S256 challenge. */
export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier, "ascii").digest("base64url");
  return { verifier, challenge };
}

export function randomState() {
  return randomBytes(12).toString("base64url");
}

/** POSTs a form to the server as an OAuth client does and returns the status and the JSON answer. */
export async function postForm(url, fields) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { unparsed: text };
  }
  return { status: response.status, json };
}
