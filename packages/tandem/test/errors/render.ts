import { errorRegistry } from "../../src/errors/registry.js";

const feature: Record<string, string> = {
  core: "Core",
  router: "Routing",
  server: "Server",
  realtime: "Realtime",
  jobs: "Jobs",
  api: "API",
  pages: "Pages",
  image: "Image",
  og: "OG images",
  after: "after()",
};

/** docs/errors.md, generated from the registry so that docs and code cannot drift. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(errorRegistry)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.description.replace(/\|/g, "\\|")} |`);
  return [
    "# Error codes",
    "",
    "Every error Tandem raises carries a stable code. Request-time errors reach clients as",
    '`{"error":{"code":"TND_ERR_…","message":"…"}}` with the status below; startup and build errors',
    "print the code after the message. The registry lives in `packages/tandem/src/errors/` (one table per",
    `feature: ${Object.values(feature).join(", ")}); this page is generated from it by`,
    "`npx tsx scripts/errors-doc.ts`, and a test fails when the two differ.",
    "",
    "| code | status | when |",
    "| --- | ---: | --- |",
    ...rows,
    "",
  ].join("\n");
}
