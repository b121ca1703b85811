// defineEnv: a Standard Schema over the environment, checked when the app starts (not when it is
// built), one line naming every missing or invalid variable, and typed values for the app.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { expectTypeOf } from "expect-type";
import { createTestApp } from "tandem/testing";
import { z } from "zod";
import { defineEnv } from "tandem/server";
import { runCli } from "../support/cli.js";
import { createProject } from "../support/project.js";

test("typed values, and every problem in one message", () => {
  const env = defineEnv(z.object({ API_KEY: z.string(), WORKERS: z.coerce.number().default(2) }), { API_KEY: "k" });
  expectTypeOf(env).toEqualTypeOf<{ API_KEY: string; WORKERS: number }>();
  assert.deepEqual(env, { API_KEY: "k", WORKERS: 2 });
  assert.throws(
    () => defineEnv(z.object({ API_KEY: z.string(), WORKERS: z.coerce.number().int() }), { WORKERS: "many" }),
    (error: Error & { code?: string }) =>
      error.code === "TND_ERR_INVALID_ENV" && /^environment variables: API_KEY is missing \(.+\), WORKERS \(.+\)/.test(error.message),
  );
});

const project = createProject({
  "env.ts": `import { defineEnv } from "tandem/server";
import { z } from "zod";
export const env = defineEnv(z.object({ SHOP_API_KEY: z.string().min(8), SHOP_WORKERS: z.coerce.number().default(2) }));
`,
  "tandem.config.ts": `import "./env";\nexport default {};\n`,
  "app/api/env/route.ts": `import { env } from "../../../env";
export const GET = () => Response.json({ workers: env.SHOP_WORKERS + 1, keyLength: env.SHOP_API_KEY.length });
`,
});
after(() => project.remove());

test("tandem build passes without the variables; tandem start stops with one line naming them", async () => {
  const built = await runCli(["build", project.root]);
  assert.equal(built.code, 0, built.stderr);
  const started = await runCli(["start", project.root, "--port", "0"], { env: { SHOP_WORKERS: "x" } });
  assert.equal(started.code, 1);
  const lines = started.stderr.trim().split("\n");
  assert.equal(lines.length, 1, started.stderr);
  assert.match(
    lines[0]!,
    /^tandem start: environment variables: SHOP_API_KEY is missing \(.+\), SHOP_WORKERS \(.+\) \[TND_ERR_INVALID_ENV\]$/,
  );
});

test("with the variables the app starts and reads them typed", async () => {
  const app = await createTestApp(project.root, { mode: "start", build: false, env: { SHOP_API_KEY: "secret-key-1", SHOP_WORKERS: "4" } });
  try {
    assert.deepEqual(await (await app.fetch("/api/env")).json(), { workers: 5, keyLength: 12 });
  } finally {
    await app.close();
  }
});
