import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { TandemError } from "../errors/http-error.js";
import type { OpenApiDocument } from "./openapi.js";

export interface OpenApiHandlerOptions {
  /** Where the JSON document is served. Default "/openapi.json". */
  path?: string;
  /**
   * Where the interactive reference page (Swagger UI, served from the optional swagger-ui-dist
   * package) lives. Default "/reference"; false turns it off. Without the package the page
   * answers 501 and names the command that installs it.
   */
  docsPath?: string | false;
  /** Page title. Default "API reference". */
  title?: string;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  "swagger-ui.css": { file: "swagger-ui.css", type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { file: "swagger-ui-bundle.js", type: "text/javascript; charset=utf-8" },
};

const assetCache = new Map<string, Promise<Uint8Array>>();

function readAsset(file: string): Promise<Uint8Array> {
  let cached = assetCache.get(file);
  if (!cached) {
    cached = (async () => {
      const require = createRequire(import.meta.url);
      const dir = dirname(require.resolve("swagger-ui-dist/package.json"));
      return new Uint8Array(await readFile(join(dir, file)));
    })().catch((error: unknown) => {
      assetCache.delete(file);
      throw new TandemError("TND_ERR_MISSING_PACKAGE", `Cannot read swagger-ui-dist/${file}: run npm install swagger-ui-dist`, {
        cause: error,
      });
    });
    assetCache.set(file, cached);
  }
  return cached;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, docsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(docsPath)}/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="${escapeHtml(docsPath)}/swagger-ui-bundle.js"></script>
<script src="${escapeHtml(docsPath)}/init.js"></script>
</body>
</html>
`;
}

// Served as a file, not inline, so the page works under a strict script-src 'self' policy.
function init(documentPath: string): string {
  return `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentPath)}, dom_id: "#reference", deepLinking: true });\n`;
}

let swaggerUi: boolean | undefined;

/** swagger-ui-dist is an optional peer dependency (12 MB, and an analytics postinstall script). */
function hasSwaggerUi(): boolean {
  if (swaggerUi === undefined) {
    try {
      import.meta.resolve("swagger-ui-dist/package.json");
      swaggerUi = true;
    } catch {
      swaggerUi = false;
    }
  }
  return swaggerUi;
}

/** Without swagger-ui-dist: 501 and a page that says how to get the reference and where the document is. */
function missingUi(title: string, documentPath: string, head: boolean): Response {
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>The interactive reference needs the optional package <code>swagger-ui-dist</code>: run <code>npm install swagger-ui-dist</code> and restart.</p>
<p>The OpenAPI document is at <a href="${escapeHtml(documentPath)}">${escapeHtml(documentPath)}</a>.</p>
</body>
</html>
`;
  return new Response(head ? null : body, {
    status: 501,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": CSP, "x-content-type-options": "nosniff" },
  });
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:";

function normalize(path: string, name: string): string {
  if (!path.startsWith("/") || path.length < 2 || path.endsWith("/")) {
    throw new TandemError("TND_ERR_OPENAPI", `createOpenApiHandler: ${name} must start with "/" and not end with "/", got "${path}"`);
  }
  return path;
}

/**
 * Serves the document and its reference page. Returns undefined for every other request, so the
 * app can call it first and fall through to routing. `getDocument` is called per request: memoize
 * it in production, rebuild it in dev.
 */
export function createOpenApiHandler(
  getDocument: () => OpenApiDocument | Promise<OpenApiDocument>,
  options: OpenApiHandlerOptions = {},
): (request: Request) => Promise<Response | undefined> {
  const documentPath = normalize(options.path ?? "/openapi.json", "path");
  const docsPath = options.docsPath === false ? undefined : normalize(options.docsPath ?? "/reference", "docsPath");
  const title = options.title ?? "API reference";
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return undefined;
    const { pathname } = new URL(request.url);
    const head = request.method === "HEAD";
    if (pathname === documentPath) {
      const body = JSON.stringify(await getDocument());
      return new Response(head ? null : body, {
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    if (docsPath === undefined) return undefined;
    if (pathname === docsPath) {
      if (!hasSwaggerUi()) return missingUi(title, documentPath, head);
      return new Response(head ? null : page(title, docsPath), {
        headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": CSP, "x-content-type-options": "nosniff" },
      });
    }
    if (pathname === `${docsPath}/init.js`) {
      return new Response(head ? null : init(documentPath), { headers: { "content-type": "text/javascript; charset=utf-8" } });
    }
    const asset = pathname.startsWith(`${docsPath}/`) ? ASSETS[pathname.slice(docsPath.length + 1)] : undefined;
    if (!asset) return undefined;
    const bytes = await readAsset(asset.file);
    return new Response(head ? null : (bytes as Uint8Array<ArrayBuffer>), {
      headers: { "content-type": asset.type, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" },
    });
  };
}
