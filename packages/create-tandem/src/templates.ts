/** What each template adds to the app's package.json; the files live in templates/<name>/. */
export interface Template {
  name: string;
  summary: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
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
    // Jobs keep their queue in SQLite; tandem loads better-sqlite3 only for apps that have jobs.
    dependencies: { ...REACT, "better-sqlite3": "^12.11.1", zod: "^4.6.7" },
    // The tests connect to the app's socket from Node 20, which has no global WebSocket.
    devDependencies: { ...TOOLS, ...REACT_TYPES, "@types/ws": "^8.18.2", ws: "^8.23.0" },
  },
];

export function findTemplate(name: string): Template | undefined {
  return TEMPLATES.find((template) => template.name === name);
}
