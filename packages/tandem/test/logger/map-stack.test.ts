// mapStack on a build written by hand: frames in .tandem/server and .tandem/ssr become the app's
// files and lines, other frames stay, and a missing or damaged map leaves the frame alone.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { createLogger } from "../../src/logger/create-logger.js";
import { mapStack } from "../../src/logger/map-stack.js";

const root = mkdtempSync(join(tmpdir(), "tandem-map-stack-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** A chunk whose line 2, column 1 comes from `source` line 5, column 3 (mappings ";AAIE"). */
function chunk(
  path: string,
  source: string,
  map = JSON.stringify({ version: 3, sources: [source], names: [], mappings: ";AAIE" }),
): string {
  const file = join(root, path);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, "// generated\nthrow new Error('x');\n");
  writeFileSync(`${file}.map`, map);
  return file;
}

test("server and ssr frames map to the app's files, as paths or file: URLs", () => {
  const server = chunk(".tandem/server/index.js", "../../app/api/boom/route.ts");
  const ssr = chunk(".tandem/ssr/chunks/page-abc.js", "../../../components/list.tsx");
  const stack = [
    "Error: boom",
    `    at GET (${pathToFileURL(server).href}:2:1)`,
    `    at List (${ssr}:2:1)`,
    "    at dispatch (file:///srv/node_modules/tandem/dist/chunks/core.js:10:3)",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  ].join("\n");
  assert.equal(
    mapStack(stack),
    [
      "Error: boom",
      `    at GET (${join(root, "app/api/boom/route.ts")}:5:3)`,
      `    at List (${join(root, "components/list.tsx")}:5:3)`,
      "    at dispatch (file:///srv/node_modules/tandem/dist/chunks/core.js:10:3)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    ].join("\n"),
  );
});

test("a frame with no mapping, no map or a damaged map is left as it is", () => {
  const server = chunk(".tandem/server/other.js", "../../app/x.ts");
  const noMapping = `    at f (${server}:1:1)`;
  assert.equal(mapStack(noMapping), noMapping);
  const bare = join(root, ".tandem/server/bare.js");
  writeFileSync(bare, "");
  assert.equal(mapStack(`    at f (${bare}:2:1)`), `    at f (${bare}:2:1)`);
  const damaged = chunk(".tandem/server/damaged.js", "", "{ not json");
  assert.equal(mapStack(`    at f (${damaged}:2:1)`), `    at f (${damaged}:2:1)`);
  assert.equal(mapStack("Error: plain\n    at f (/srv/app.js:2:1)"), "Error: plain\n    at f (/srv/app.js:2:1)");
});

test("a rebuilt map under a running server is read again", () => {
  const file = chunk(".tandem/server/rebuilt.js", "../../app/before.ts");
  assert.match(mapStack(`    at f (${file}:2:1)`), /app\/before\.ts:5:3/);
  writeFileSync(`${file}.map`, JSON.stringify({ version: 3, sources: ["../../app/after.ts"], names: [], mappings: ";AAIE" }));
  const later = new Date(Date.now() + 5000);
  utimesSync(`${file}.map`, later, later);
  assert.match(mapStack(`    at f (${file}:2:1)`), /app\/after\.ts:5:3/);
});

test("the framework logger writes the mapped stack in its JSON line", () => {
  const file = chunk(".tandem/server/logged.js", "../../app/api/logged/route.ts");
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } });
  const error = new Error("logged");
  error.stack = `Error: logged\n    at GET (${file}:2:1)`;
  logger.error("[tandem] req-1 GET /api/logged failed:", error);
  const entry = JSON.parse(lines[0]!);
  assert.equal(entry.msg, "[tandem] req-1 GET /api/logged failed:");
  assert.equal(entry.err.stack, `Error: logged\n    at GET (${join(root, "app/api/logged/route.ts")}:5:3)`);
});
