import type { HttpMethod } from "../app/types.js";
import { TandemError } from "../errors/http-error.js";
import { acceptedTypes } from "./body.js";
import { getHandlerSpec } from "./define-handler.js";
import { objectFields, toJsonSchema, type JsonSchema } from "./json-schema.js";
import type { HandlerSpec, Schema } from "./types.js";
import { isSchema } from "./validate.js";

export interface OpenApiRoute {
  /** File-system pattern, e.g. "/api/boards/[id]". */
  pattern: string;
  /** The route module's method exports (defineHandler results or plain handlers). */
  methods: Partial<Record<HttpMethod, unknown>>;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  license?: { name: string; identifier?: string; url?: string };
  /** e.g. [{ url: "https://api.example.com" }]. Default [{ url: "/" }]: the origin serving the document. */
  servers?: Array<{ url: string; description?: string }>;
  /** Auth is the app's own (middleware); declare it here to document it. Default: none declared (`security: []`). */
  securitySchemes?: Record<string, Record<string, unknown>>;
  security?: Array<Record<string, string[]>>;
}

export type OpenApiDocument = Record<string, unknown> & { openapi: "3.1.1"; paths: Record<string, Record<string, unknown>> };

const METHODS: HttpMethod[] = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH"];
const ERROR_REF = { $ref: "#/components/schemas/TandemError" };
// OpenAPI describes these through requestBody/security instead; parameters with these names are ignored.
const RESERVED_HEADERS = new Set(["accept", "content-type", "authorization"]);

const TANDEM_ERROR: JsonSchema = {
  type: "object",
  description: "Every Tandem error response. `issues` is present on TND_ERR_VALIDATION (400).",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["TND_ERR_VALIDATION"] },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            required: ["location", "path", "message"],
            properties: {
              location: { type: "string", enum: ["params", "query", "headers", "body"] },
              path: { type: "array", items: { type: ["string", "integer"] } },
              message: { type: "string" },
            },
          },
        },
      },
    },
  },
};

interface Segment {
  text: string;
  param?: { name: string; kind: "one" | "catchAll" | "optional" };
}

function segments(pattern: string): Segment[] {
  return pattern
    .split("/")
    .filter(Boolean)
    .map((text) => {
      const optional = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(text);
      if (optional) return { text, param: { name: optional[1]!, kind: "optional" as const } };
      const rest = /^\[\.\.\.([^\]]+)\]$/.exec(text);
      if (rest) return { text, param: { name: rest[1]!, kind: "catchAll" as const } };
      const one = /^\[([^\]]+)\]$/.exec(text);
      return one ? { text, param: { name: one[1]!, kind: "one" as const } } : { text };
    });
}

/** An optional catch-all is two OpenAPI paths: path parameters are always required there. */
function openApiPaths(pattern: string): Array<{ path: string; params: NonNullable<Segment["param"]>[] }> {
  const parts = segments(pattern);
  const render = (list: Segment[]) => "/" + list.map((s) => (s.param ? `{${s.param.name}}` : s.text)).join("/");
  const params = (list: Segment[]) => list.flatMap((s) => (s.param ? [s.param] : []));
  const last = parts.at(-1);
  if (last?.param?.kind === "optional") {
    const without = parts.slice(0, -1);
    return [
      { path: render(without), params: params(without) },
      { path: render(parts), params: params(parts) },
    ];
  }
  return [{ path: render(parts), params: params(parts) }];
}

function operationId(method: string, path: string, used: Set<string>, preferred?: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part);
      const text = (param ? `by-${param[1]}` : part).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase());
      return text.charAt(0).toUpperCase() + text.slice(1);
    });
  const base = preferred ?? method.toLowerCase() + (words.join("") || "Root");
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}${n}`;
  used.add(id);
  return id;
}

async function fields(schema: Schema | undefined) {
  return schema ? objectFields(await toJsonSchema(schema, "input")) : [];
}

async function bodySchema(schema: Schema, side: "input" | "output"): Promise<JsonSchema> {
  return (await toJsonSchema(schema, side)) ?? { description: `No JSON Schema converter for ${schema["~standard"].vendor}` };
}

async function responses(spec: HandlerSpec | undefined): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const success = String(spec?.status ?? 200);
  const { response } = spec ?? {};
  const declared: Array<[string, Schema]> =
    response === undefined ? [] : isSchema(response) ? [[success, response]] : Object.entries(response as Record<string, Schema>);
  for (const [status, schema] of declared) {
    out[status] = { description: `Status ${status}`, content: { "application/json": { schema: await bodySchema(schema, "output") } } };
  }
  if (!declared.some(([status]) => status.startsWith("2"))) out[success] = { description: "Success" };
  // Without a spec nothing is known about errors, but the app itself answers 404/405 etc.
  if (!spec) out["4XX"] = { description: "Client error" };
  if (spec && (spec.params || spec.query || spec.headers || spec.body)) {
    out["400"] ??= {
      description: "Invalid request (TND_ERR_VALIDATION and body errors)",
      content: { "application/json": { schema: ERROR_REF } },
    };
  }
  if (spec?.body) {
    out["413"] ??= { description: "Body too large", content: { "application/json": { schema: ERROR_REF } } };
    out["415"] ??= { description: "Unsupported content type", content: { "application/json": { schema: ERROR_REF } } };
  }
  return out;
}

async function operation(
  method: HttpMethod,
  path: string,
  pathParams: NonNullable<Segment["param"]>[],
  handler: unknown,
  used: Set<string>,
) {
  const spec = getHandlerSpec(handler);
  const declaredParams = new Map((await fields(spec?.params)).map((f) => [f.name, f.schema]));
  const parameters: unknown[] = pathParams.map((param) => ({
    name: param.name,
    in: "path",
    required: true,
    // A catch-all spans segments: its schema (an array server-side) is a '/'-joined string on the wire.
    schema: param.kind === "one" ? (declaredParams.get(param.name) ?? { type: "string" }) : { type: "string" },
    ...(param.kind === "one" ? {} : { description: "One or more path segments separated by '/'" }),
  }));
  for (const field of await fields(spec?.query))
    parameters.push({ name: field.name, in: "query", required: field.required, schema: field.schema });
  for (const field of await fields(spec?.headers)) {
    if (!RESERVED_HEADERS.has(field.name.toLowerCase()))
      parameters.push({ name: field.name, in: "header", required: field.required, schema: field.schema });
  }
  const op: Record<string, unknown> = {
    operationId: operationId(method, path, used, spec?.operationId),
    summary: spec?.summary ?? `${method} ${path}`,
  };
  if (spec?.description) op.description = spec.description;
  if (spec?.tags) op.tags = spec.tags;
  if (spec?.deprecated) op.deprecated = true;
  if (parameters.length > 0) op.parameters = parameters;
  if (spec?.body) {
    const schema = await bodySchema(spec.body, "input");
    const content = Object.fromEntries(acceptedTypes(spec.bodyType ?? "json").map((type) => [type, { schema }]));
    op.requestBody = { required: true, content };
  }
  op.responses = await responses(spec);
  return op;
}

/**
 * An OpenAPI 3.1 document from route modules. Validated handlers contribute their schemas;
 * plain handlers still appear with their method and path params.
 */
export async function createOpenApiDocument(routes: OpenApiRoute[], info: OpenApiInfo): Promise<OpenApiDocument> {
  if (!info || typeof info.title !== "string" || typeof info.version !== "string") {
    throw new TandemError("TND_ERR_OPENAPI", "createOpenApiDocument: info needs a string title and version");
  }
  const paths: OpenApiDocument["paths"] = {};
  const used = new Set<string>();
  const sorted = [...routes].sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
  for (const route of sorted) {
    for (const { path, params } of openApiPaths(route.pattern)) {
      for (const method of METHODS) {
        const handler = route.methods[method];
        if (typeof handler !== "function") continue;
        (paths[path] ??= {})[method.toLowerCase()] = await operation(method, path, params, handler, used);
      }
    }
  }
  const { servers = [{ url: "/" }], securitySchemes, security = [], ...rest } = info;
  return {
    openapi: "3.1.1",
    info: { ...rest },
    servers,
    security,
    paths,
    components: { schemas: { TandemError: TANDEM_ERROR }, ...(securitySchemes ? { securitySchemes } : {}) },
  };
}
