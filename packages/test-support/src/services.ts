// Tests that need a real service call these first. Missing service: skip with a reason,
// except under CI=true, where nothing may skip and the test fails instead.
import { existsSync } from "node:fs";
import { connect } from "node:net";
import type { TestContext } from "node:test";

function reachable(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function need(t: TestContext, name: string, ok: boolean): Promise<boolean> {
  if (ok) return true;
  if (process.env.CI === "true") throw new Error(`${name} is required under CI=true but is not available`);
  t.skip(`${name} is not available on this machine`);
  return false;
}

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function needRedis(t: TestContext): Promise<boolean> {
  return need(t, "Redis (127.0.0.1:6379)", await reachable(6379));
}

export async function needPostgres(t: TestContext): Promise<boolean> {
  return need(t, "PostgreSQL (127.0.0.1:5432)", await reachable(5432));
}

export async function needChromium(t: TestContext): Promise<boolean> {
  return need(t, `Chromium (${CHROMIUM})`, existsSync(CHROMIUM));
}

/** Launch flags required on this workplace's closed network. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
