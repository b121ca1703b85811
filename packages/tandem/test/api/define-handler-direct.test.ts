// defineHandler called directly, without a server: the answers the request path builds itself
// (the validation 400, returned data of every kind) must stay what they were when they went
// through HttpError and `instanceof Response`.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { z } from "zod";
import * as v from "valibot";
import { defineHandler } from "../../src/api/define-handler.js";
import { HandlerContext, paramsEntryOf } from "../../src/app/handler-context.js";
import { reply } from "../../src/api/reply.js";
import { NextResponse } from "../../src/compat/next-response.js";
import { HttpError } from "../../src/errors/http-error.js";
import { installFastResponse } from "../../src/server/fast-response.js";

const post = (body: unknown, type = "application/json") =>
  new Request("http://localhost/api/users", { method: "POST", headers: { "content-type": type }, body: JSON.stringify(body) });
const context = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

const user = {
  zod: z.object({ name: z.string().min(1), email: z.email(), age: z.number().int().min(0) }),
  valibot: v.object({
    name: v.pipe(v.string(), v.minLength(1)),
    email: v.pipe(v.string(), v.email()),
    age: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
};

async function sameResponse(actual: Response, expected: Response): Promise<void> {
  assert.equal(actual.status, expected.status);
  assert.deepEqual([...actual.headers], [...expected.headers]);
  assert.equal(await actual.text(), await expected.text());
}

// Both kinds of Response the handler may build: undici's, and the server's FastResponse.
for (const fast of [false, true]) {
  describe(`defineHandler answers${fast ? " (FastResponse installed)" : ""}`, () => {
    before(() => {
      if (fast) installFastResponse();
    });

    for (const [library, schema] of Object.entries(user)) {
      test(`${library}: a rejected request gets exactly HttpError's TND_ERR_VALIDATION response`, async () => {
        const handler = defineHandler({ params: z.object({ id: z.string().regex(/^\d+$/) }), body: schema }, () => ({ ok: true }));
        const response = await handler(post({ name: "", email: "nope", age: -1 }), context({ id: "x" }));
        const { error } = (await response.clone().json()) as { error: { code: string; message: string; issues: unknown[] } };
        assert.equal(error.code, "TND_ERR_VALIDATION");
        assert.deepEqual(
          error.issues.map(
            (issue) => (issue as { location: string; path: unknown[] }).location + ":" + (issue as { path: unknown[] }).path.join("."),
          ),
          ["params:id", "body:name", "body:email", "body:age"],
        );
        assert.match(error.message, /^Invalid request params, body: params\.id: .+ \(and 3 more\)$/);
        await sameResponse(
          response,
          new HttpError("TND_ERR_VALIDATION", error.message, { details: { issues: error.issues } }).toResponse(),
        );
      });
    }

    test("an async schema's rejection gets the same response", async () => {
      const handler = defineHandler(
        { body: z.object({ name: z.string().refine(async (name) => name !== "taken", "name is taken") }) },
        () => ({ ok: true }),
      );
      const response = await handler(post({ name: "taken" }), context());
      const issues = [{ location: "body", path: ["name"], message: "name is taken" }];
      await sameResponse(
        response,
        new HttpError("TND_ERR_VALIDATION", "Invalid request body: body.name: name is taken", { details: { issues } }).toResponse(),
      );
    });

    test("valid input reaches the handler with its params and parsed body", async () => {
      const handler = defineHandler({ body: user.zod }, ({ params, body }) => ({ params, body }));
      const body = { name: "Ada", email: "ada@example.com", age: 36 };
      const response = await handler(post(body), { params: new Promise((resolve) => setTimeout(() => resolve({ id: "7" }), 5)) });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { params: { id: "7" }, body });
    });

    test("returned data of every kind is sent as JSON; Responses pass through", async () => {
      class Point {
        x = 1;
        y = 2;
      }
      const bare = Object.assign(Object.create(null) as object, { a: 1 });
      const data: Array<[unknown, string]> = [
        [{ a: 1 }, '{"a":1}'],
        [[1, 2], "[1,2]"],
        [bare, '{"a":1}'],
        [new Point(), '{"x":1,"y":2}'],
        ["text", '"text"'],
        [0, "0"],
        [null, "null"],
        [new Date(0), '"1970-01-01T00:00:00.000Z"'],
      ];
      for (const [value, text] of data) {
        const response = await defineHandler({}, () => value as never)(new Request("http://localhost/"), context());
        assert.equal(response.status, 200, text);
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/, text);
        assert.equal(await response.text(), text);
      }
      const passed = [new Response("raw", { status: 202 }), NextResponse.json({ next: true }, { status: 201 })];
      for (const value of passed) {
        assert.equal(await defineHandler({}, () => value)(new Request("http://localhost/"), context()), value);
      }
      const replied = await defineHandler({}, () => reply({ a: 1 }, { status: 201, headers: { location: "/a/1" } }))(
        new Request("http://localhost/"),
        context(),
      );
      assert.equal(replied.status, 201);
      assert.equal(replied.headers.get("location"), "/a/1");
      assert.equal(await replied.text(), '{"a":1}');
    });

    test("application/json exactly and with parameters or a +json type are all read as JSON", async () => {
      const handler = defineHandler({ body: z.object({ n: z.number() }) }, ({ body }) => body);
      for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json"]) {
        const response = await handler(post({ n: 1 }, type), context());
        assert.equal(response.status, 200, type);
        assert.deepEqual(await response.json(), { n: 1 }, type);
      }
      const form = defineHandler({ body: z.object({ n: z.string() }), bodyType: "form" }, ({ body }) => body);
      assert.equal((await form(post({ n: 1 }), context())).status, 415);
    });
  });
}

describe("answers without a promise when the input is all here", () => {
  const GET = defineHandler({ params: z.object({ id: z.string().regex(/^\d+$/) }) }, ({ params }) => ({ id: Number(params.id) }));
  const get = () => new Request("http://localhost/api/users/1");

  test("Tandem's context: a Response at once, for valid and for rejected params", async () => {
    const ok = GET(get(), new HandlerContext({ id: "7" }));
    assert.ok(ok instanceof Response, "a Response, not a promise");
    assert.deepEqual(await ok.json(), { id: 7 });
    const rejected = GET(get(), new HandlerContext({ id: "x" }));
    assert.ok(rejected instanceof Response);
    assert.equal(rejected.status, 400);
  });

  test("the params entry the router calls answers as the handler does with Tandem's context", async () => {
    const entry = paramsEntryOf(GET);
    assert.ok(entry !== undefined, "defineHandler gives its handler a params entry");
    assert.equal(
      paramsEntryOf(() => new Response()),
      undefined,
    );
    const ok = entry(get(), { id: "7" });
    assert.ok(ok instanceof Response, "a Response, not a promise");
    assert.deepEqual(await ok.json(), { id: 7 });
    const rejected = await entry(get(), { id: "x" });
    await sameResponse(rejected, GET(get(), new HandlerContext({ id: "x" })) as Response);
    const POST = defineHandler({ body: user.zod }, ({ params, body }) => ({ params, name: body.name }));
    const posted = await paramsEntryOf(POST)!(post({ name: "Ada", email: "ada@example.com", age: 36 }), { id: "1" });
    assert.deepEqual(await posted.json(), { params: { id: "1" }, name: "Ada" });
  });

  test("any other context, an async handler or a body to read: a promise, with the same answers", async () => {
    const viaPromise = GET(get(), context({ id: "7" }));
    assert.ok(viaPromise instanceof Promise);
    assert.deepEqual(await (await viaPromise).json(), { id: 7 });
    const slow = defineHandler({ params: z.object({ id: z.string() }) }, async ({ params }) => ({ id: params.id }));
    const answered = slow(get(), new HandlerContext({ id: "3" }));
    assert.ok(answered instanceof Promise);
    assert.deepEqual(await (await answered).json(), { id: "3" });
    const POST = defineHandler({ body: user.zod }, ({ body }) => ({ name: body.name }));
    const posted = POST(post({ name: "Ada", email: "ada@example.com", age: 36 }), new HandlerContext({}));
    assert.ok(posted instanceof Promise, "an in-memory Request's body has to be read");
    assert.deepEqual(await (await posted).json(), { name: "Ada" });
  });

  test("an HttpError thrown at once or later is its own response; another error goes on up", async () => {
    const teapot = new HttpError(418, "TEAPOT", "short and stout");
    const now = defineHandler({}, () => {
      throw teapot;
    });
    const sync = now(get(), new HandlerContext({}));
    assert.ok(sync instanceof Response);
    assert.equal(sync.status, 418);
    const later = defineHandler({}, async () => {
      throw teapot;
    });
    assert.equal((await later(get(), new HandlerContext({}))).status, 418);
    const bug = defineHandler({}, () => {
      throw new TypeError("a bug");
    });
    assert.throws(() => bug(get(), new HandlerContext({})), TypeError);
    const asyncBug = defineHandler({}, async () => {
      throw new TypeError("a bug");
    });
    await assert.rejects(async () => asyncBug(get(), new HandlerContext({})), TypeError);
  });
});

describe("answers that have to wait", () => {
  // A response schema whose check is asynchronous (a Standard Schema may answer with a promise).
  const asyncId = {
    "~standard": {
      version: 1 as const,
      vendor: "test",
      validate: async (value: unknown) =>
        typeof (value as { id?: unknown })?.id === "number" ? { value } : { issues: [{ message: "id must be a number", path: ["id"] }] },
    },
  };

  test("a response that fails an async response schema rejects with its 500 under every kind of context", async () => {
    const GET = defineHandler({ response: asyncId }, () => ({ id: "nope" }));
    for (const ctx of [new HandlerContext({}), undefined, context({})]) {
      // For the app to log with the request's id (the issues are the cause) and answer.
      await assert.rejects(
        async () => GET(new Request("http://localhost/x"), ctx as never),
        (error: HttpError) => {
          assert.equal(error.status, 500);
          assert.equal(error.code, "TND_ERR_API_RESPONSE_INVALID");
          assert.ok(Array.isArray((error.cause as { issues?: unknown }).issues));
          return true;
        },
      );
    }
  });

  test("a foreign context's params are awaited before the body is read: a bad body never rejects unheard", async () => {
    const unheard: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unheard.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const POST = defineHandler({ body: user.zod }, ({ body }) => ({ name: body.name }));
      const slowParams = { params: new Promise<Record<string, string>>((resolve) => setTimeout(() => resolve({}), 30)) };
      const bad = new Request("http://localhost/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" });
      const answered = await POST(bad, slowParams);
      assert.equal(answered.status, 400);
      const failing = { params: Promise.reject(new HttpError(410, "GONE", "params failed")) };
      const alsoBad = new Request("http://localhost/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" });
      assert.equal((await POST(alsoBad, failing)).status, 410);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    assert.deepEqual(unheard, []);
  });
});
