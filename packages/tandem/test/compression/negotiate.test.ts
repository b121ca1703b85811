// Accept-Encoding negotiation (RFC 9110 12.5.3) and the compressible-type rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isCompressible } from "../../src/compression/compressible.js";
import { negotiate, type Encoding } from "../../src/compression/negotiate.js";

const ALL: Encoding[] = ["br", "zstd", "gzip"];

test("the client's q-values decide, the server's order breaks ties", () => {
  const cases: Array<[string | undefined, Encoding | undefined]> = [
    [undefined, undefined],
    ["", undefined],
    ["gzip", "gzip"],
    ["gzip, deflate, br, zstd", "br"],
    ["gzip;q=1, br;q=0.5", "gzip"],
    ["br;q=0.8, gzip;q=0.9, zstd;q=0.1", "gzip"],
    ["GZIP", "gzip"],
    ["x-gzip", "gzip"],
    ["deflate", undefined],
    ["identity", undefined],
    ["*", "br"],
    ["*;q=0.5, gzip", "gzip"],
    ["br;q=0, *", "zstd"],
    ["gzip;q=0", undefined],
    ["identity;q=0", undefined],
    ["gzip, identity;q=0", "gzip"],
    ["*;q=0", undefined],
    ["br;q=0.000, gzip;q=0.001", "gzip"],
    // A malformed q is not acceptable (never read as q=1).
    ["br;q=2, gzip;q=abc, zstd;q=0.5", "zstd"],
    [" br ; q=0.9 ,gzip ; q=1 ", "gzip"],
    [",,, ;q=1", undefined],
  ];
  for (const [header, expected] of cases) assert.equal(negotiate(header, ALL), expected, `Accept-Encoding: ${header}`);
});

test("only the offered codings are chosen, in the server's order", () => {
  assert.equal(negotiate("zstd, br, gzip", ["gzip", "br"]), "gzip");
  assert.equal(negotiate("zstd", ["br", "gzip"]), undefined);
  assert.equal(negotiate("*", []), undefined);
});

test("text, JSON, XML, JavaScript and SVG are compressible; images, video and archives are not", () => {
  for (const type of [
    "text/html; charset=utf-8",
    "text/event-stream",
    "application/json",
    "application/problem+json",
    "application/vnd.api+json; charset=utf-8",
    "text/javascript; charset=utf-8",
    "application/xml",
    "image/svg+xml",
    "application/wasm",
    "text/x-component",
    "TEXT/PLAIN",
  ]) {
    assert.equal(isCompressible(type), true, type);
  }
  for (const type of [
    undefined,
    null,
    "",
    "image/png",
    "image/jpeg",
    "video/mp4",
    "font/woff2",
    "application/zip",
    "application/octet-stream",
    "application/gzip",
  ]) {
    assert.equal(isCompressible(type), false, String(type));
  }
});

test("tandem.config.ts: compression must be false or valid options, named in the error", async () => {
  const { validateConfig } = await import("../../src/config.js");
  assert.deepEqual(validateConfig({ compression: false }), { compression: false });
  assert.deepEqual(validateConfig({ compression: { threshold: 0, encodings: ["gzip"], level: { gzip: 9 } } }).compression, {
    threshold: 0,
    encodings: ["gzip"],
    level: { gzip: 9 },
  });
  const bad: Array<[unknown, RegExp]> = [
    [true, /"compression" must be false or an object/],
    ["br", /"compression" must be false or an object/],
    [{ threshold: "1k" }, /"compression" threshold must be a whole number of bytes, got 1k/],
    [{ level: { br: 12 } }, /"compression" level\.br must be an integer from 0 to 11, got 12/],
    [{ encodings: ["deflate"] }, /"compression" encodings must be an array/],
    [{ treshold: 10 }, /"compression" has an unknown option "treshold"/],
  ];
  for (const [compression, message] of bad) {
    assert.throws(
      () => validateConfig({ compression }),
      (error: Error & { code?: string }) => error.code === "TND_ERR_INVALID_CONFIG" && message.test(error.message),
      String(JSON.stringify(compression)),
    );
  }
});
