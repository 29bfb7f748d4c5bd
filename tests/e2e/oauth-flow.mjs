// End-to-end check of signing in with OAuth 2.0: megalodon's own OAuth calls (registerApp,
// generateAuthUrl, fetchAccessToken, revokeToken) with a real browser (Debian's Chromium) on the
// server's sign-in and consent pages, then PKCE (which megalodon does not do) with plain requests.
//
// Environment:
//   MEDIARY_URL       base URL of the server, e.g. http://127.0.0.1:5099
//   MEDIARY_USERNAME  an account that can sign in ...
//   MEDIARY_PASSWORD  ... with this password
//   MEDIARY_IMAGE     path of a JPEG to upload
//   MEDIARY_CHROMIUM  the browser (default /usr/bin/chromium)
//
// Prints one line per step; exits 1 with "FAIL <step>: <reason>" on the first failure.

import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import megalodonPackage from "megalodon";
import { requireEnv, runFlow, sleep, step } from "./harness.mjs";
import { decide, expectConsentPage, launchBrowser, newPage, pkcePair, postForm, randomState, signIn, startListener } from "./browser.mjs";

const generator = megalodonPackage.default;

const baseUrl = requireEnv("MEDIARY_URL").replace(/\/+$/, "");
const username = requireEnv("MEDIARY_USERNAME");
const password = requireEnv("MEDIARY_PASSWORD");
const imagePath = requireEnv("MEDIARY_IMAGE");

const appName = "Mediary OAuth check (megalodon)";
const scopes = ["read", "write"];

function describeError(error) {
  if (error?.isAxiosError && error.response) {
    const { status, data } = error.response;
    return `HTTP ${status} from ${error.config?.method?.toUpperCase()} ${error.config?.url}: ${JSON.stringify(data)}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Asserts that a megalodon call is refused with this HTTP status and JSON body. */
async function assertRefused(call, status, body) {
  await assert.rejects(call, (error) => {
    assert.equal(error?.response?.status, status, `expected HTTP ${status}, got ${describeError(error)}`);
    assert.deepEqual(error.response.data, body);
    return true;
  });
}

async function main() {
  const listener = await startListener();
  const browser = await launchBrowser();
  try {
    await megalodonFlow(listener, browser);
  } finally {
    await browser.close();
    await listener.close();
  }
}

async function megalodonFlow(listener, browser) {
  const anonymous = generator("mastodon", baseUrl);
  const context = await browser.newContext();
  const page = await newPage(context);

  let app;
  await step("registerApp(name, {scopes, redirect_uris: loopback listener})", async () => {
    app = await anonymous.registerApp(appName, { scopes, redirect_uris: listener.url, website: "https://example.org/megalodon" });
    assert.ok(app.client_id && app.client_secret, `no client_id or client_secret: ${JSON.stringify(app)}`);
    assert.equal(app.redirect_uri, listener.url);
    const url = new URL(app.url);
    assert.equal(url.origin + url.pathname, `${baseUrl}/oauth/authorize`, `registerApp's url: ${app.url}`);
    return `client_id ${app.client_id}`;
  });

  const state = randomState();
  let authorizeUrl;
  await step("generateAuthUrl(client_id, client_secret, {scope, redirect_uri}) plus a state", async () => {
    const url = new URL(await anonymous.generateAuthUrl(app.client_id, app.client_secret, { scope: scopes, redirect_uri: listener.url }));
    assert.equal(url.searchParams.get("response_type"), "code");
    assert.equal(url.searchParams.get("client_id"), app.client_id);
    // megalodon has no state option; an application that wants one adds it to the URL.
    url.searchParams.set("state", state);
    authorizeUrl = url.href;
  });

  await step("browser: the authorization URL asks to sign in", async () => {
    await page.goto(authorizeUrl);
    const url = new URL(page.url());
    assert.equal(url.pathname, "/auth/sign_in", `expected the sign-in page, the browser is at ${page.url()}`);
    assert.ok(url.searchParams.get("return_to")?.startsWith("/oauth/authorize"), `return_to: ${page.url()}`);
  });

  await step("browser: sign in, the consent page names the app and its scopes", async () => {
    await signIn(page, username, password);
    await page.waitForURL((url) => url.pathname === "/oauth/authorize");
    await expectConsentPage(page, appName, scopes);
  });

  let code;
  await step("browser: Authorize sends the browser to the redirect_uri with a code and the state", async () => {
    const arrived = await decide(page, listener, "Authorize");
    assert.equal(arrived.pathname, "/callback");
    assert.equal(arrived.searchParams.get("state"), state, `state on ${arrived}`);
    code = arrived.searchParams.get("code");
    assert.ok(code, `no code on ${arrived}`);
    assert.equal(await page.locator("h1").textContent(), "You can close this window.");
  });

  let token;
  await step("fetchAccessToken(client_id, client_secret, code, redirect_uri)", async () => {
    token = await anonymous.fetchAccessToken(app.client_id, app.client_secret, code, listener.url);
    assert.ok(token.access_token, `no access_token: ${JSON.stringify(token)}`);
    assert.equal(token.token_type, "Bearer");
    assert.equal(token.scope, scopes.join(" "));
  });

  const client = generator("mastodon", baseUrl, token.access_token);
  await step("verifyAccountCredentials() names the account that signed in", async () => {
    const res = await client.verifyAccountCredentials();
    assert.equal(res.data.username, username);
  });

  let media;
  await step("uploadMedia(ReadStream, {description}) with the new token", async () => {
    const res = await client.uploadMedia(createReadStream(imagePath), { description: "Uploaded after signing in with OAuth" });
    media = res.data;
    assert.equal(media.type, "image");
    assert.equal(media.description, "Uploaded after signing in with OAuth");
    const deadline = Date.now() + 60_000;
    while (!media.url) {
      assert.ok(Date.now() < deadline, `media ${media.id} has no url after 60 s`);
      await sleep(500);
      media = (await client.getMedia(media.id)).data;
    }
    const image = await fetch(media.url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(image.status, 200, `GET ${media.url}`);
    assert.match(image.headers.get("content-type") ?? "", /^image\//);
    return `media ${media.id}`;
  });

  await step("revokeToken(client_id, client_secret, token)", async () => {
    const res = await anonymous.revokeToken(app.client_id, app.client_secret, token.access_token);
    assert.equal(res.status, 200);
  });

  await step("the revoked token is refused: 401 The access token was revoked", async () => {
    await assertRefused(client.getMedia(media.id), 401, { error: "The access token was revoked" });
    await assertRefused(client.verifyAccountCredentials(), 401, { error: "The access token was revoked" });
  });

  await step("the code cannot be exchanged a second time: 400 invalid_grant", async () => {
    await assert.rejects(anonymous.fetchAccessToken(app.client_id, app.client_secret, code, listener.url), (error) => {
      assert.equal(error?.response?.status, 400, `expected HTTP 400, got ${describeError(error)}`);
      assert.equal(error.response.data.error, "invalid_grant", JSON.stringify(error.response.data));
      return true;
    });
  });

  await pkceFlow(app, listener, page, media);
  await context.close();
}

/** PKCE (RFC 7636, S256) with plain requests: a wrong verifier is refused, the right one gets a working token. */
async function pkceFlow(app, listener, page, media) {
  const { verifier, challenge } = pkcePair();
  const state = randomState();
  let code;
  await step("PKCE: authorize with code_challenge (S256); still signed in, the consent page comes at once", async () => {
    const url = new URL(`${baseUrl}/oauth/authorize`);
    for (const [name, value] of Object.entries({
      response_type: "code", client_id: app.client_id, redirect_uri: listener.url, scope: scopes.join(" "), state,
      code_challenge: challenge, code_challenge_method: "S256",
    })) url.searchParams.set(name, value);
    await page.goto(url.href);
    await expectConsentPage(page, appName, scopes);
    const arrived = await decide(page, listener, "Authorize");
    assert.equal(arrived.searchParams.get("state"), state);
    code = arrived.searchParams.get("code");
    assert.ok(code, `no code on ${arrived}`);
  });

  const exchange = (codeVerifier) => postForm(`${baseUrl}/oauth/token`, {
    grant_type: "authorization_code", code, redirect_uri: listener.url,
    client_id: app.client_id, client_secret: app.client_secret, ...(codeVerifier === undefined ? {} : { code_verifier: codeVerifier }),
  });

  await step("PKCE: no code_verifier is refused", async () => {
    const { status, json } = await exchange(undefined);
    assert.equal(status, 400, JSON.stringify(json));
    assert.equal(json.error, "invalid_request", JSON.stringify(json));
  });

  await step("PKCE: a wrong code_verifier is refused with 400 invalid_grant", async () => {
    const { status, json } = await exchange(pkcePair().verifier);
    assert.equal(status, 400, JSON.stringify(json));
    assert.equal(json.error, "invalid_grant", JSON.stringify(json));
    assert.equal(json.access_token, undefined);
  });

  await step("PKCE: the right code_verifier gets a token that reaches the account's media", async () => {
    const { status, json } = await exchange(verifier);
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.scope, scopes.join(" "));
    const client = generator("mastodon", baseUrl, json.access_token);
    const res = await client.getMedia(media.id);
    assert.equal(res.data.id, media.id);
    assert.ok(res.data.url, "the media's url");
  });
}

await runFlow("oauth (megalodon)", main, describeError);
