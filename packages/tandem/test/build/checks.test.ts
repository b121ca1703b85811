// Mistakes caught where they are made: each fixture below is one mistake, and `tandem build` and
// `tandem dev` must name its file in a warning (and still build).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkModule, exportedMethods, kindOf } from "../../src/build/check-modules.js";
import { runCli, startCli } from "../support/cli.js";
import { createProject } from "../support/project.js";

/** file -> [its content, the warning it must produce]. */
const MISTAKES: Record<string, [string, RegExp]> = {
  "app/api/empty/route.ts": [
    `export const dynamic = "force-dynamic";\n`,
    /app\/api\/empty\/route\.ts exports no HTTP method handler, so every request to it answers 405; export one, e\.g\. export function GET/,
  ],
  "app/api/lower/route.ts": [
    `export function get() { return new Response("x"); }\n`,
    /app\/api\/lower\/route\.ts exports "get"; HTTP method handlers are uppercase: export function GET\(request\)/,
  ],
  "app/blank/page.tsx": [
    `export function Page() { return <p>never</p>; }\n`,
    /app\/blank\/page\.tsx has no default export, so the page renders nothing; export default function Page\(\)/,
  ],
  "app/chat/socket.ts": [
    `import { defineSocket } from "tandem/realtime";\nexport const socket = defineSocket({});\n`,
    /app\/chat\/socket\.ts has no default export, so it accepts no connection; export default defineSocket\(\{ \.\.\. \}\) from "tandem\/realtime"/,
  ],
  "jobs/forgotten.ts": [
    `import { defineJob } from "tandem/jobs";\nexport const job = defineJob({ async run() {} });\n`,
    /jobs\/forgotten\.ts has no default export, so it is not registered as a job; export default defineJob\(\{ \.\.\. \}\) from "tandem\/jobs"/,
  ],
  "jobs/plain.ts": [
    `export default { async run() {} };\n`,
    /jobs\/plain\.ts: the default export must be the result of defineJob\(\{ \.\.\. \}\) from "tandem\/jobs"/,
  ],
};
/** plugin-rsc refuses this one with its own build error; the warning comes first and says what to do. */
const USE_SERVER: Record<string, [string, RegExp]> = {
  "app/actions.ts": [
    `"use server";\nexport const LIMIT = 10;\nexport function save() {}\nexport async function ok() {}\n`,
    /app\/actions\.ts is a "use server" file but exports a value that is not an async function \("LIMIT"\); a Server Action file may only export async functions/,
  ],
};
const SYNC_ACTION = /app\/actions\.ts is a "use server" file but exports a function that is not async \("save"\)/;

describe("checkModule", () => {
  const root = "/project";
  for (const [file, [code, expected]] of Object.entries({ ...MISTAKES, ...USE_SERVER })) {
    test(`${file}: one warning naming the file`, () => {
      const warnings = checkModule(join(root, file), code, kindOf(join(root, file), root), file);
      assert.match(warnings.join("\n"), expected);
    });
  }

  test("a sync export in a 'use server' file is named too", () => {
    const [code] = USE_SERVER["app/actions.ts"]!;
    assert.match(checkModule("/project/app/actions.ts", code, undefined, "app/actions.ts").join("\n"), SYNC_ACTION);
  });

  test("the example app, written correctly, gets no warning", () => {
    const board = fileURLToPath(new URL("../../../../examples/board/", import.meta.url));
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (name === "node_modules" || name.startsWith(".")) return [];
        return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    })(board);
    assert.ok(files.length > 20);
    for (const file of files) {
      assert.deepEqual(checkModule(file, readFileSync(file, "utf8"), kindOf(file, board), relative(board, file)), [], file);
    }
  });

  test("exports that are not the point are left alone", () => {
    const check = (file: string, code: string) => checkModule(`/p/${file}`, code, kindOf(`/p/${file}`, "/p"));
    assert.deepEqual(check("app/a/route.ts", `export * from "./impl";\n`), []);
    assert.deepEqual(check("app/b/route.ts", `const handler = () => new Response();\nexport { handler as POST };\n`), []);
    assert.deepEqual(
      check("app/c/socket.ts", `import { defineSocket } from "tandem/realtime";\nconst s = defineSocket({});\nexport default s;\n`),
      [],
    );
    assert.deepEqual(
      check("lib/x.ts", `"use server";\nexport type T = string;\nexport const a = async () => 1;\nexport default async function b() {}\n`),
      [],
    );
    assert.deepEqual(check("app/_private/route.ts", "export const nothing = 1;\n"), []);
    assert.deepEqual(check("app/broken/route.ts", "export function GET( {\n"), [], "syntax errors are Vite's to report");
  });

  test("exportedMethods reads a route's methods from its source", () => {
    const code = `export function GET() {}\nexport const POST = async () => {};\nconst d = () => {};\nexport { d as DELETE };\nexport type PUT = string;\nexport function get() {}\n`;
    assert.deepEqual(exportedMethods("/p/app/route.ts", code), ["GET", "POST", "DELETE"]);
  });

  test("methods exported by destructuring count (Auth.js: export const { GET, POST } = handlers)", () => {
    const code = `import { handlers } from "auth";\nexport const { GET, POST: P, ...rest } = handlers;\nexport const [PUT] = [() => new Response()];\n`;
    assert.deepEqual(exportedMethods("/p/app/auth/[...nextauth]/route.ts", code), ["GET", "PUT"]);
    assert.deepEqual(checkModule("/p/app/auth/[...nextauth]/route.ts", code, "route"), []);
  });
});

/** Correct files beside the mistakes: the app around them keeps working. */
const GOOD: Record<string, string> = {
  "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) { return <html><body>{children}</body></html>; }\n`,
  "app/page.tsx": `export default function Home() { return <p>home</p>; }\n`,
  "app/api/fine/route.ts": `export function GET() { return Response.json({ fine: true }); }\n`,
  "jobs/good.ts": `import { defineJob } from "tandem/jobs";\nexport default defineJob({ async run() { return 1; } });\n`,
};
const sources = (mistakes: Record<string, [string, RegExp]>) =>
  Object.fromEntries(Object.entries(mistakes).map(([file, [code]]) => [file, code]));

test("tandem build succeeds and warns once per mistake, naming the file", async () => {
  const project = createProject({ ...sources(MISTAKES), ...GOOD });
  try {
    const built = await runCli(["build", project.root]);
    assert.equal(built.code, 0, built.stderr + built.stdout);
    const output = built.stdout + built.stderr;
    for (const [file, [, expected]] of Object.entries(MISTAKES)) {
      assert.match(output, expected, file);
      assert.equal(output.split(expected).length - 1, 1, `${file} warned once`);
    }
    assert.doesNotMatch(output, /IMPORT_IS_UNDEFINED/);
  } finally {
    project.remove();
  }
});

// jobs/plain.ts stays out: a default export that is not defineJob() stops the runtime with
// TND_ERR_JOB_BAD_DEFINITION (the build warns, above); every other mistake leaves the app running.
test("tandem dev warns as the modules load, and serves the good routes", async () => {
  const { "jobs/plain.ts": _plain, ...running } = MISTAKES;
  const project = createProject({ ...sources(running), ...GOOD });
  const server = await startCli(["dev", project.root, "--port", "0", "--host", "127.0.0.1"]);
  try {
    const res = await fetch(new URL("/api/fine", server.url));
    assert.deepEqual(await res.json(), { fine: true });
    assert.equal((await fetch(new URL("/api/lower", server.url))).status, 405);
    for (const [file, [, expected]] of Object.entries(running)) assert.match(server.output(), expected, file);
  } finally {
    await server.stop();
    project.remove();
  }
});

test("a 'use server' file exporting a non-async value: the warning names it before plugin-rsc's error", async () => {
  const [code, expected] = USE_SERVER["app/actions.ts"]!;
  const project = createProject({
    "app/actions.ts": code,
    "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) { return <html><body>{children}</body></html>; }\n`,
    "app/page.tsx": `import { ok } from "./actions";\nexport default function Home() { return <form action={ok}><button>go</button></form>; }\n`,
  });
  try {
    const res = await runCli(["build", project.root]);
    const output = res.stdout + res.stderr;
    assert.equal(res.code, 1);
    assert.match(output, expected);
    assert.ok(output.search(expected) < output.search(/unsupported non async function/), "the warning comes first");
  } finally {
    project.remove();
  }
});
