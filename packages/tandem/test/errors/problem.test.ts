// RFC 9457 problem details below the app: the config setting, the server's own errors (written
// on a Response or straight onto the socket) and the body's members. The app-level errors in
// every mode are in test/modes/problem-details.test.ts.
import assert from "node:assert/strict";
import { STATUS_CODES } from "node:http";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { HttpError } from "tandem/server";
import { serve, type RunningServer } from "tandem/node";
import { validateConfig } from "../../src/config.js";
import { problemBody } from "../../src/errors/problem.js";

test("tandem.config.ts: errors.format is checked like the other settings", () => {
  assert.deepEqual(validateConfig({ errors: { format: "problem+json" } }), { errors: { format: "problem+json" } });
  assert.deepEqual(validateConfig({ errors: {} }), { errors: {} });
  const bad: Array<[unknown, RegExp]> = [
    ["problem+json", /"errors" must be an object/],
    [{ format: "problem" }, /"errors\.format" must be one of "json", "problem\+json", got "problem"/],
    [{ fromat: "json" }, /unknown option "errors\.fromat"/],
  ];
  for (const [errors, message] of bad) {
    assert.throws(
      () => validateConfig({ errors }),
      (error: Error & { code?: string }) => error.code === "TND_ERR_INVALID_CONFIG" && message.test(error.message),
      JSON.stringify(errors),
    );
  }
});

test("an error's details are extension members and cannot replace the standard ones", () => {
  const error = new HttpError(409, "TAKEN", "That name is taken.", { details: { status: 200, type: "x", suggestions: ["b"] } });
  assert.deepEqual(problemBody(error, "/names", "id-1"), {
    suggestions: ["b"],
    type: "about:blank",
    title: "Conflict",
    status: 409,
    detail: "That name is taken.",
    instance: "/names",
    code: "TAKEN",
    requestId: "id-1",
  });
});

let server: RunningServer;
before(async () => {
  server = await serve({
    port: 0,
    host: "127.0.0.1",
    bodyLimit: 16,
    errorFormat: "problem+json",
    fetch: (request) => {
      if (new URL(request.url).pathname === "/own") return Response.json({ error: "the app's own body" }, { status: 418 });
      throw new HttpError(402, "PAY_FIRST", "Payment required.");
    },
  });
});
after(() => server.close());

test("serve({ errorFormat }): the server's 413 and a thrown HttpError as problem details; other responses as they are", async () => {
  const large = await fetch(`${server.url}/upload?x=1`, { method: "POST", body: "x".repeat(17) });
  assert.equal(large.status, 413);
  assert.equal(large.headers.get("content-type"), "application/problem+json");
  const body = (await large.json()) as Record<string, unknown>;
  assert.deepEqual([body.title, body.code, body.instance], [STATUS_CODES[413], "TND_ERR_BODY_TOO_LARGE", "/upload"]);
  assert.equal(typeof body.requestId, "string");

  const thrown = await fetch(`${server.url}/x`);
  assert.equal(thrown.status, 402);
  const { requestId, ...rest } = (await thrown.json()) as Record<string, unknown>;
  assert.deepEqual(rest, {
    type: "about:blank",
    title: "Payment Required",
    status: 402,
    detail: "Payment required.",
    instance: "/x",
    code: "PAY_FIRST",
  });
  assert.match(String(requestId), /^[0-9a-f-]{36}$/);

  const own = await fetch(`${server.url}/own`);
  assert.equal(own.headers.get("content-type"), "application/json");
  assert.deepEqual(await own.json(), { error: "the app's own body" });
});

test("serve({ errorFormat }): a request node cannot parse gets problem details on the bare socket, without instance", async () => {
  const { port } = new URL(server.url);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"));
    let text = "";
    socket.on("data", (chunk) => (text += chunk));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
  const [head, body] = reply.split("\r\n\r\n");
  assert.match(head!, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(head!, /\r\ncontent-type: application\/problem\+json\r\n/);
  const problem = JSON.parse(body!) as Record<string, unknown>;
  assert.deepEqual(
    [problem.type, problem.status, problem.code, problem.instance],
    ["about:blank", 400, "TND_ERR_SERVER_BAD_REQUEST", undefined],
  );
});

test("HttpError's module graph imports no node: module (Vite serves it to browsers in dev)", async () => {
  const { readFile } = await import("node:fs/promises");
  const seen = new Set<string>();
  const visit = async (url: URL): Promise<void> => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const text = await readFile(url, "utf8");
    assert.doesNotMatch(text, /from "node:/, `${url.pathname} imports a node: module`);
    for (const [, path] of text.matchAll(/from "(\.[^"]+)\.js"/g)) await visit(new URL(`${path}.ts`, url));
  };
  await visit(new URL("../../src/errors/http-error.ts", import.meta.url));
  assert.ok(seen.size >= 4, [...seen].join(", "));
});
