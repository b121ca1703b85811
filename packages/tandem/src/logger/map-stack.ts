import { readFileSync, statSync } from "node:fs";
import { SourceMap, type SourceMapping } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// A frame in the server build: `/app/.tandem/server/index.js:1117:26` or `file:///app/.tandem/ssr/chunks/x.js:3:9`.
const FRAME = /(?:file:\/\/)?((?:[A-Za-z]:)?[\\/][^\s()]*?[\\/]\.tandem[\\/](?:server|ssr)[\\/][^\s()]+?\.js):(\d+):(\d+)/g;

interface Loaded {
  mtimeMs: number;
  map: SourceMap | null;
}

const maps = new Map<string, Loaded>();

/**
 * Rewrites the frames of a logged stack that point into the server build (.tandem/server,
 * .tandem/ssr) to the app's own files, through the `.map` files the build writes beside each chunk:
 * `at GET (/app/app/api/boom/route.ts:6:11)` instead of `at GET (/app/.tandem/server/index.js:1117:26)`.
 *
 * Why not Node's `--enable-source-maps` (process.setSourceMapsEnabled): Node then reads and parses
 * every map when its module loads, about 40 ms more CPU at `tandem start` for an app with pages
 * (docs/logging.md). Here a map is read on the first logged error that has a frame in its file,
 * and nothing is done for a request that does not fail. The maps are read from disk by this
 * process only; nothing serves them.
 */
export function mapStack(stack: string): string {
  if (!stack.includes(".tandem")) return stack;
  return stack.replace(FRAME, (frame, file: string, line: string, column: string) => {
    const map = mapOf(file);
    if (map === null) return frame;
    // Stack positions are 1-based, a source map's are 0-based.
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as Partial<SourceMapping>;
    if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return frame;
    return `${sourcePath(file, map, entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function sourcePath(file: string, map: SourceMap, source: string): string {
  if (source.startsWith("file://")) return fileURLToPath(source);
  if (isAbsolute(source)) return source;
  const root = (map.payload as { sourceRoot?: string }).sourceRoot ?? "";
  return resolve(dirname(file), root, source);
}

/** The chunk's map, read once per build (a new `tandem build` under a running server is read again). */
function mapOf(file: string): SourceMap | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(`${file}.map`).mtimeMs;
  } catch {
    return null;
  }
  const cached = maps.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.map;
  let map: SourceMap | null = null;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
  } catch {
    // A damaged map leaves the frame as it was: a log line is no place to fail.
  }
  maps.set(file, { mtimeMs, map });
  return map;
}
