import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { AppManifest, HttpMethod } from "../app/types.js";
import { TandemError } from "../errors/http-error.js";
import { createOpenApiDocument, type OpenApiDocument, type OpenApiInfo, type OpenApiRoute } from "./openapi.js";

const METHODS: HttpMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Loads every route.ts of a manifest and keeps its method exports. */
export async function openApiRoutesFromManifest(manifest: AppManifest): Promise<OpenApiRoute[]> {
  const routes: OpenApiRoute[] = [];
  for (const entry of manifest.routes) {
    if (!entry.route || entry.asset) continue;
    const module = await entry.route();
    const methods: OpenApiRoute["methods"] = {};
    for (const method of METHODS) if (typeof module[method] === "function") methods[method] = module[method];
    routes.push({ pattern: entry.pattern, methods });
  }
  return routes;
}

/** The document for a manifest; what the server serves and what `tandem build` writes. */
export async function createOpenApiDocumentFromManifest(manifest: AppManifest, info: OpenApiInfo): Promise<OpenApiDocument> {
  return createOpenApiDocument(await openApiRoutesFromManifest(manifest), info);
}

/** `tandem build`: write openapi.json atomically (a deploy never picks up half a file). */
export async function writeOpenApiDocument(manifest: AppManifest, file: string, info: OpenApiInfo): Promise<void> {
  const document = await createOpenApiDocumentFromManifest(manifest, info);
  try {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(document, null, 2)}\n`);
    await rename(temp, file);
  } catch (error) {
    throw new TandemError("TND_ERR_OPENAPI", `Could not write the OpenAPI document to ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
