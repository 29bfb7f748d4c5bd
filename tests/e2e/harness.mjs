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
    console.log(`${name} flow passed (${stepNumber} steps)`);
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
