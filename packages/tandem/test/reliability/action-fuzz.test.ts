// Seeded fuzzing of what a Server Action request goes through before React decodes anything: the
// body parser (text, urlencoded, multipart), the action id lookup of JavaScript-less forms and the
// reply guard. Each may only accept or refuse with a TND_ERR_ACTION_* HttpError, quickly; any
// other exception is a crash in the request path. 20,000 inputs; TANDEM_RELIABILITY=full 200,000.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HttpError } from "tandem/server";
import { formActionId, parseBody } from "../../src/pages/action-request.js";
import { checkReply } from "../../src/pages/reply-guard.js";
import { FULL, SEED } from "./support.js";

const COUNT = FULL ? 200_000 : 20_000;
const LIMITS = { maxDepth: 64, maxNodes: 20_000, maxChunks: 1_000 };

const REPLIES = [
  '["text",1,{"a":[true,null]},"$$escaped","$undefined","$D2026-01-01T00:00:00.000Z","$n12345"]',
  '["$Q1","$@2","$K3"]',
  '["$1:items:0"]',
  '{"items":[{"x":1}]}',
  '[["k","v"]]',
  '"resolved"',
  "[]",
];
const TOKENS = [
  '"$1:__proto__:then"',
  '"$1:constructor"',
  '"$@0"',
  '"$Q9"',
  '"$h1"',
  '"$Y1"',
  "[",
  "]",
  "{",
  "}",
  '"',
  "\\",
  "\\u0000",
  ",",
  ":",
  "null",
  "1e999",
  "-0",
  '"$K1"',
  '{"__proto__":{}}',
  "[".repeat(70),
  '"$0"',
];
const KEYS = [
  "0",
  "1",
  "2",
  "3_name",
  "$ACTION_ID_abc#fn",
  "$ACTION_REF_1",
  "$ACTION_1:0",
  "$ACTION_KEY",
  "constructor",
  "__proto__",
  "1_x",
  "99",
];

function mutateText(text: string, edits: Array<[number, number, number]>): string {
  let out = text;
  for (const [kind, at, token] of edits) {
    const i = Math.floor((at / 1000) * (out.length + 1));
    if (kind === 0) out = out.slice(0, i) + TOKENS[token % TOKENS.length] + out.slice(i);
    else if (kind === 1) out = out.slice(0, i) + out.slice(i + 1 + (token % 5));
    else out = out.slice(0, i) + String.fromCharCode(token % 128) + out.slice(i + 1);
  }
  return out;
}

const edits = fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 1000 }), fc.nat({ max: 10_000 })), { maxLength: 4 });
const replyText = fc.tuple(fc.constantFrom(...REPLIES), edits).map(([text, e]) => mutateText(text, e));
const replyForm = fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(replyText, fc.string({ maxLength: 40 }))), { maxLength: 6 });
const rawBody = fc.tuple(
  fc.constantFrom(
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=b",
    "multipart/form-data",
    "application/json",
    "",
  ),
  fc.oneof(
    replyText.map((text) => Buffer.from(text)),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    replyForm.map((fields) =>
      Buffer.from(fields.map(([k, v]) => `--b\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + "--b--\r\n"),
    ),
    replyForm.map((fields) => Buffer.from(new URLSearchParams(fields).toString())),
  ),
);

/** Runs `fn`; undefined when it returned, the code when it refused with an action HttpError; throws on anything else. */
function outcome(fn: () => unknown, input: unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof HttpError && error.code.startsWith("TND_ERR_ACTION_")) return error.code;
    throw new Error(`crash on ${JSON.stringify(input).slice(0, 300)}: ${(error as Error)?.stack ?? error}`);
  }
}

test(`action decoding fuzz: ${COUNT.toLocaleString("en")} seeded inputs accept or refuse with TND_ERR_ACTION_*, never crash`, async (t) => {
  const tally = new Map<string, number>();
  const count = (key: string | undefined) => tally.set(key ?? "accepted", (tally.get(key ?? "accepted") ?? 0) + 1);
  let slowest = 0;
  let slowInput: unknown;
  const timed = (fn: () => unknown, input: unknown) => {
    const begin = performance.now();
    count(outcome(fn, input));
    const took = performance.now() - begin;
    if (took > slowest) [slowest, slowInput] = [took, input];
  };
  const third = Math.floor(COUNT / 3);
  for (const text of fc.sample(replyText, { seed: SEED, numRuns: third })) timed(() => checkReply(text, LIMITS), text);
  for (const fields of fc.sample(replyForm, { seed: SEED + 1, numRuns: third })) {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    timed(() => {
      formActionId(form);
      checkReply(form, LIMITS);
    }, fields);
  }
  for (const [type, bytes] of fc.sample(rawBody, { seed: SEED + 2, numRuns: COUNT - 2 * third })) {
    const begin = performance.now();
    try {
      const parsed = await parseBody(new Uint8Array(bytes) as Uint8Array<ArrayBuffer>, type);
      count(outcome(() => checkReply(parsed.kind === "text" ? parsed.text : parsed.form, LIMITS), bytes.toString("latin1")));
    } catch (error) {
      if (!(error instanceof HttpError && error.code.startsWith("TND_ERR_ACTION_"))) throw error;
      count(error.code);
    }
    const took = performance.now() - begin;
    if (took > slowest) [slowest, slowInput] = [took, bytes.toString("latin1")];
  }
  t.diagnostic(
    `seed ${SEED}: ${JSON.stringify(Object.fromEntries([...tally].sort()))}, slowest ${slowest.toFixed(1)} ms (${JSON.stringify(slowInput).slice(0, 120)})`,
  );
  assert.ok((tally.get("accepted") ?? 0) > COUNT / 20, "some inputs stay valid");
  assert.ok((tally.get("TND_ERR_ACTION_BAD_PAYLOAD") ?? 0) > COUNT / 10, "many inputs are refused");
  // Loose: the first multipart body loads undici and a busy machine pauses; a blow-up takes seconds.
  assert.ok(slowest < 1000, `every input is settled quickly; slowest ${slowest} ms`);
});
