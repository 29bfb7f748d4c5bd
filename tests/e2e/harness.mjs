// What both client flows share: their settings from the environment, numbered steps, a deadline
// for the whole flow, and the checks on what a client receives.

import assert from "node:assert/strict";

const OVERALL_TIMEOUT_MS = 150_000;

/** A required environment variable; exits 2 with "FAIL setup: ..." when it is missing. */
export function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`FAIL setup: environment variable ${name} is not set`);
    process.exit(2);
  }
  return value;
}

let currentStep = "setup";
let stepNumber = 0;

/** Runs one step and prints "ok N name (ms) — detail"; a throw fails the flow at this step. */
export async function step(name, body) {
  currentStep = name;
  stepNumber += 1;
  const started = Date.now();
  const detail = await body();
  const suffix = detail ? ` — ${detail}` : "";
  console.log(`ok ${stepNumber} ${name} (${Date.now() - started} ms)${suffix}`);
}

const failedChecks = [];

/**
 * A step that later steps do not depend on: a throw prints "not ok N name: reason" and the flow goes on,
 * failing at its end, so one broken behaviour does not hide the checks after it.
 */
export async function independentStep(name, body, describeError = String) {
  try {
    await step(name, body);
  } catch (error) {
    console.log(`not ok ${stepNumber} ${name}: ${describeError(error)}`);
    failedChecks.push(`${name}: ${describeError(error)}`);
  }
}

/**
 * Runs the flow: never longer than OVERALL_TIMEOUT_MS (exit 3), "FAIL <step>: <reason>" and exit
 * code 1 on the first failure, else "<name> flow passed (N steps)".
 */
export async function runFlow(name, main, describeError) {
  setTimeout(() => {
    console.error(`FAIL timeout: the flow did not finish within ${OVERALL_TIMEOUT_MS} ms`);
    process.exit(3);
  }, OVERALL_TIMEOUT_MS).unref();
  try {
    await main();
    if (failedChecks.length === 0) {
      console.log(`${name} flow passed (${stepNumber} steps)`);
    } else {
      for (const failure of failedChecks) console.error(`FAIL ${failure}`);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(`FAIL ${currentStep}: ${describeError(error)}`);
    process.exitCode = 1;
  }
}

export function assertFocus(media, x, y, what) {
  const focus = media.meta?.focus;
  assert.ok(focus, `${what}: meta.focus is missing: ${JSON.stringify(media.meta)}`);
  assert.ok(Math.abs(focus.x - x) < 1e-6, `${what}: focus.x is ${focus.x}, expected ${x}`);
  assert.ok(Math.abs(focus.y - y) < 1e-6, `${what}: focus.y is ${focus.y}, expected ${y}`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
