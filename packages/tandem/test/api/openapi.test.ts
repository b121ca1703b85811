import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createOpenApiDocument, type OpenApiDocument, type OpenApiRoute, createOpenApiHandler, writeOpenApiDocument } from "tandem/openapi";
import * as about from "../client/fixtures/app/(marketing)/about/route.js";
import * as boardsRoute from "../client/fixtures/app/api/boards/route.js";
import * as boardRoute from "../client/fixtures/app/api/boards/[id]/route.js";
import * as attachmentsRoute from "../client/fixtures/app/api/boards/[id]/attachments/route.js";
import * as filesRoute from "../client/fixtures/app/api/files/[...path]/route.js";
import * as searchRoute from "../client/fixtures/app/api/search/[[...terms]]/route.js";
import { listenFetch, type TestServer } from "./harness.js";

const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../../../node_modules/.bin/${name}`, import.meta.url));

const routes: OpenApiRoute[] = [
  { pattern: "/about", methods: about },
  { pattern: "/api/boards", methods: boardsRoute },
  { pattern: "/api/boards/[id]", methods: boardRoute },
  { pattern: "/api/boards/[id]/attachments", methods: attachmentsRoute },
  { pattern: "/api/files/[...path]", methods: filesRoute },
  { pattern: "/api/search/[[...terms]]", methods: searchRoute },
];
const info = { title: "Fixture API", version: "1.0.0", license: { name: "MIT", identifier: "MIT" } };

let dir: string;
let doc: OpenApiDocument;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "tandem-openapi-"));
  doc = await createOpenApiDocument(routes, info);
});
after(() => rm(dir, { recursive: true, force: true }));

type Op = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};
const op = (path: string, method: string) => doc.paths[path]![method] as Op;

describe("OpenAPI document", () => {
  test("schemas from zod, valibot and arktype; statuses; error shape", () => {
    assert.equal(doc.openapi, "3.1.1");
    const list = op("/api/boards", "get");
    assert.deepEqual(
      list.parameters!.map((p) => [p.name, p.in, p.required]),
      [
        ["q", "query", false],
        ["limit", "query", false],
      ],
    );
    assert.equal(list.parameters![1]!.schema.maximum, 100);
    const create = op("/api/boards", "post");
    assert.deepEqual(Object.keys(create.responses).sort(), ["201", "400", "413", "415"]);
    assert.deepEqual(create.requestBody!.content["application/json"]!.schema.required, ["title"]);
    assert.deepEqual(create.responses["400"]!.content!["application/json"]!.schema, { $ref: "#/components/schemas/TandemError" });
    const byId = op("/api/boards/{id}", "get");
    assert.deepEqual(byId.parameters![0], { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^\\d+$" } });
    const attach = op("/api/boards/{id}/attachments", "post");
    assert.deepEqual(Object.keys(attach.requestBody!.content), ["multipart/form-data"]);
    const search = op("/api/search/{terms}", "post");
    assert.deepEqual(Object.keys(search.requestBody!.content), ["application/x-www-form-urlencoded", "multipart/form-data"]);
  });

  test("routes without schemas still appear with methods and path params", () => {
    assert.ok(op("/about", "get"));
    const files = op("/api/files/{path}", "get");
    assert.deepEqual(
      files.parameters!.map((p) => [p.name, p.in, p.required]),
      [["path", "path", true]],
    );
    // The optional catch-all is two paths with distinct operation ids.
    assert.ok(op("/api/search", "post") && op("/api/search/{terms}", "post"));
    assert.notEqual(op("/api/search", "post").operationId, op("/api/search/{terms}", "post").operationId);
  });

  test("bad info is refused", async () => {
    await assert.rejects(createOpenApiDocument(routes, { title: "x" } as never), /TND_ERR_OPENAPI/);
  });

  test("passes @redocly/cli lint (recommended rules)", async () => {
    const file = join(dir, "lint.json");
    await writeFile(file, JSON.stringify(doc));
    // A failed lint exits non-zero, which rejects here.
    const { stderr } = await run(bin("redocly"), ["lint", file, "--format=stylish"], { cwd: dir, timeout: 60_000 });
    assert.match(stderr, /Your API description is valid/);
  });

  test("openapi-typescript turns it into types that compile", async () => {
    const file = join(dir, "types.json");
    await writeFile(file, JSON.stringify(doc));
    await run(bin("openapi-typescript"), [file, "-o", join(dir, "schema.d.ts")], { timeout: 60_000 });
    const types = await readFile(join(dir, "schema.d.ts"), "utf8");
    assert.match(types, /"\/api\/boards\/\{id\}"/);
    await writeFile(
      join(dir, "use.ts"),
      `import type { paths } from "./schema.js";
type Create = paths["/api/boards"]["post"]["requestBody"]["content"]["application/json"];
export const ok: Create = { title: "x" };
// @ts-expect-error title must be a string
export const bad: Create = { title: 1 };
type Created = paths["/api/boards"]["post"]["responses"]["201"]["content"]["application/json"];
export const id: Created["id"] = "1";
`,
    );
    const compilerOptions = { strict: true, noEmit: true, module: "nodenext", lib: ["es2022"], types: [], skipLibCheck: true };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["use.ts"] }));
    await run(process.execPath, [bin("tsc"), "-p", join(dir, "tsconfig.json")], { timeout: 60_000 });
  });

  test("writeOpenApiDocument loads a manifest's route modules", async () => {
    const file = join(dir, "out/openapi.json");
    await writeOpenApiDocument(
      {
        routes: [
          { pattern: "/api/boards", route: () => boardsRoute },
          { pattern: "/", page: () => ({}) },
        ],
      },
      file,
      info,
    );
    const written = JSON.parse(await readFile(file, "utf8")) as OpenApiDocument;
    assert.deepEqual(Object.keys(written.paths), ["/api/boards"]);
  });
});

describe("OpenAPI handler", () => {
  let server: TestServer;
  before(async () => {
    const serveDoc = createOpenApiHandler(() => doc, { docsPath: "/reference" });
    server = await listenFetch(async (request) => (await serveDoc(request)) ?? new Response("fallthrough", { status: 404 }));
  });
  after(() => server.close());

  test("serves the document, the page and the viewer from node_modules", async () => {
    const json = await fetch(`${server.url}/openapi.json`);
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), doc);
    const page = await fetch(`${server.url}/reference`);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await page.text();
    assert.match(html, /\/reference\/swagger-ui-bundle\.js/);
    assert.doesNotMatch(html, /https?:\/\//, "no CDN");
    const bundle = await fetch(`${server.url}/reference/swagger-ui-bundle.js`);
    assert.equal(bundle.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
    assert.match(await (await fetch(`${server.url}/reference/init.js`)).text(), /"\/openapi\.json"/);
  });

  test("everything else falls through; bad options fail fast", async () => {
    assert.equal((await fetch(`${server.url}/reference/../../package.json`)).status, 404);
    assert.equal((await fetch(`${server.url}/reference/index.html`)).status, 404);
    assert.equal((await fetch(`${server.url}/openapi.json`, { method: "POST" })).status, 404);
    assert.throws(() => createOpenApiHandler(() => doc, { path: "openapi.json" }), /TND_ERR_OPENAPI/);
    const off = createOpenApiHandler(() => doc, { docsPath: false });
    assert.equal(await off(new Request("http://x/reference")), undefined);
  });
});
