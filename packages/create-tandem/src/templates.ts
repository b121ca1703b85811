/** What each template adds to the app's package.json; the files live in templates/<name>/. */
export interface Template {
  name: string;
  summary: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /**
   * Dependencies only for Node versions without a built-in SQLite (Node 20): the job store's
   * better-sqlite3, a native module. On Node 22.13+ tandem uses node:sqlite and the app installs
   * (and compiles) nothing for it.
   */
  withoutNodeSqlite?: Record<string, string>;
  /** Scripts beyond dev, build, start, typecheck and test. */
  scripts?: Record<string, string>;
}

const REACT = { react: "^19.3.1", "react-dom": "^19.3.1" };
const REACT_TYPES = { "@types/react": "^19.3.0", "@types/react-dom": "^19.3.0" };
const TOOLS = { "@types/node": "^20.19.43", tsx: "^4.23.15", typescript: "^5.9.3" };

export const TEMPLATES: readonly Template[] = [
  {
    name: "minimal",
    summary: "one route handler and one page",
    dependencies: { ...REACT },
    devDependencies: { ...TOOLS, ...REACT_TYPES },
  },
  {
    name: "api",
    summary: "validated handlers (zod), a typed client and OpenAPI at /openapi.json",
    dependencies: { zod: "^4.6.7" },
    devDependencies: { ...TOOLS },
    scripts: { client: "tsx scripts/client.ts" },
  },
  {
    name: "full",
    summary: "pages, Server Actions, a WebSocket, a background job with live progress, middleware",
    dependencies: { ...REACT, zod: "^4.6.7" },
    // Jobs keep their queue in SQLite: node:sqlite on Node 22.13+, better-sqlite3 before that.
    withoutNodeSqlite: { "better-sqlite3": "^12.11.1" },
    // The tests connect to the app's socket from Node 20, which has no global WebSocket.
    devDependencies: { ...TOOLS, ...REACT_TYPES, "@types/ws": "^8.18.2", ws: "^8.23.0" },
  },
];

/** Node 22.13 made node:sqlite load without a flag; tandem's job store uses it from there on. */
export function hasNodeSqlite(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 13);
}

export function findTemplate(name: string): Template | undefined {
  return TEMPLATES.find((template) => template.name === name);
}
