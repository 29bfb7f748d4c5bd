// Checks of a page as a person meets it: nothing broken in the console, a Content-Security-Policy
// that allows no inline code and no framing, a layout that fits a phone, the error page, and no
// serious accessibility problem (axe-core).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now (run through the DevTools protocol, outside the page's CSP). */
export async function accessibilityProblems(page) {
  const violations = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(" ")) }));
  }, axeSource);
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
}

/**
 * Collects what would show up as broken on the page: console errors, uncaught exceptions and CSP
 * violations (the securitypolicyviolation event, seen by a script the browser adds before the page's own).
 * Two "Failed to load resource" lines are not the page's doing and are left out: the status of the
 * document itself (a wrong password is answered 401, an error page 400; the person sees that page), and
 * the browser's own request for /favicon.ico.
 */
export async function watchPage(page) {
  const problems = [];
  const documents = new Set();
  page.on("response", (response) => {
    if (response.request().isNavigationRequest() && response.status() >= 400) documents.add(response.url());
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const source = message.location().url;
    const failedLoad = message.text().startsWith("Failed to load resource");
    if (failedLoad && (documents.has(source) || new URL(source).pathname === "/favicon.ico")) return;
    problems.push(`console error on ${page.url()}: ${message.text()} (${source || "no source"})`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
    });
  });
  return problems;
}

/** No problems so far; the page's CSP (when its response is given) forbids inline code and framing. */
export async function expectCleanPage(page, response, problems) {
  await page.waitForLoadState("load");
  if (response) expectStrictPolicy(response);
  assert.deepEqual(problems, [], "the page logged errors");
}

function expectStrictPolicy(response) {
  const policy = response.headers()["content-security-policy"];
  assert.ok(policy, `no Content-Security-Policy on ${response.url()}`);
  assert.ok(!policy.includes("'unsafe-inline'"), `'unsafe-inline' in the CSP: ${policy}`);
  assert.match(policy, /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, `no frame-ancestors 'none' in the CSP: ${policy}`);
}

/** The server's error page: its heading, a description, an error status, the same strict CSP. */
export async function expectErrorPage(page, response) {
  assert.ok(response.status() >= 400, `HTTP ${response.status()} for an error page`);
  expectStrictPolicy(response);
  assert.equal(await page.locator("h1").textContent(), "An error has occurred");
  const description = (await page.locator("p.error-description").textContent())?.trim();
  assert.ok(description, "the error page says nothing about what went wrong");
  assert.ok(await page.locator("p.error-description").isVisible(), "the description is hidden");
  return description;
}

/** The focused control as a person would name it: "input username", "button Sign in". */
export function focusedControl(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "nothing";
    const tag = element.tagName.toLowerCase();
    return `${tag} ${tag === "button" ? element.textContent.trim() : element.getAttribute("name")}`;
  });
}

/**
 * On a phone the page is laid out at the screen's width (it has a viewport meta tag), nothing makes it
 * scroll sideways and every control is on the screen; a full-page screenshot goes to <path> when given.
 */
export async function checkPhoneLayout(page, path) {
  const layout = await page.evaluate(() => ({
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    outside: [...document.querySelectorAll("input:not([type=hidden]), button, label, h1, p, li")]
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.left < 0 || box.right > window.innerWidth)
      .map(({ element, box }) => `${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 30)}" ${box.left}..${box.right}`),
  }));
  const viewport = page.viewportSize();
  assert.equal(layout.innerWidth, viewport.width, "the page is not laid out at the phone's width");
  assert.ok(layout.scrollWidth <= layout.innerWidth, `scrolls sideways: ${layout.scrollWidth} px wide in ${layout.innerWidth} px`);
  assert.deepEqual(layout.outside, [], "elements past the screen's edge");
  if (path) await page.screenshot({ path, fullPage: true });
}
