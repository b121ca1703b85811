// PUBLIC_* and NEXT_PUBLIC_* variables reach the browser bundle, inlined at build time as Next.js
// does; no other variable does, from the environment or from .env files.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { publicEnv } from "../../src/build/vite-config.js";
import { runCli } from "../support/cli.js";
import { createProject } from "../support/project.js";

const project = createProject({
  ".env": "NEXT_PUBLIC_FROM_FILE=file-value\nDATABASE_PASSWORD=file-secret-7f3a\n",
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html><body>{children}</body></html>;
}
`,
  "app/page.tsx": `import { Greeting } from "./greeting";
export default function Page() {
  return <Greeting />;
}
`,
  "app/greeting.tsx": `"use client";
export function Greeting() {
  const secret = typeof process === "undefined" ? "" : String(process.env.SECRET_TOKEN);
  return <p>{process.env.NEXT_PUBLIC_GREETING} {import.meta.env.PUBLIC_COLOR} {process.env.NEXT_PUBLIC_FROM_FILE} {secret}</p>;
}
`,
});
after(() => project.remove());

function clientText(root: string): string {
  const dir = join(root, ".tandem", "client");
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".js"))
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("\n");
}

test("publicEnv: only PUBLIC_ and NEXT_PUBLIC_ names, for process.env and import.meta.env", () => {
  assert.deepEqual(publicEnv({ PUBLIC_A: "1", NEXT_PUBLIC_B: 'say "hi"', SECRET: "x", PUBLIC: "no", MY_PUBLIC_C: "no" }), {
    "process.env.PUBLIC_A": '"1"',
    "import.meta.env.PUBLIC_A": '"1"',
    "process.env.NEXT_PUBLIC_B": '"say \\"hi\\""',
    "import.meta.env.NEXT_PUBLIC_B": '"say \\"hi\\""',
  });
});

test("tandem build inlines public variables into the client bundle and nothing else", async () => {
  const built = await runCli(["build", project.root], {
    env: { NEXT_PUBLIC_GREETING: "hello-from-env", PUBLIC_COLOR: "teal-4c1d", SECRET_TOKEN: "env-secret-91be" },
  });
  assert.equal(built.code, 0, built.stderr);
  const js = clientText(project.root);
  assert.match(js, /hello-from-env/);
  assert.match(js, /teal-4c1d/);
  assert.match(js, /file-value/, ".env files count too");
  assert.doesNotMatch(js, /env-secret-91be|file-secret-7f3a/);
});
