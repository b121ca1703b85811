import assert from "node:assert/strict";
import { test } from "node:test";
import { scanTarget } from "../../src/server/url.js";

// scanTarget lets a target skip `new URL` (and the app's own path checks) only when the URL parser
// would leave it exactly as it is; these tests hold it to the parser itself.
// href, not pathname + search: an empty query ("/x?") keeps its '?' in href but not in search.
const parsed = (target: string): string => new URL(`http://example.test${target}`).href.slice("http://example.test".length);

function expectPlain(target: string): void {
  const scan = scanTarget(target);
  assert.notEqual(scan, -1, `${JSON.stringify(target)} should be plain`);
  assert.equal(parsed(target), target);
  const q = target.indexOf("?");
  const end = q === -1 ? target.length : q;
  assert.equal(scan >> 1, end, `pathname end of ${JSON.stringify(target)}`);
  // The flag may be set for a '%' in the query only; it must never be missing from the pathname.
  if (target.slice(0, end).includes("%")) assert.equal(scan & 1, 1, `'%' flag of ${JSON.stringify(target)}`);
  if (!target.includes("%")) assert.equal(scan & 1, 0, `'%' flag of ${JSON.stringify(target)}`);
}

test("ordinary targets are plain, with where the pathname ends and whether it holds a '%'", () => {
  for (const target of [
    "/",
    "/api/users/1",
    "/a/b?c=1&d=%20",
    "/a%2Fb",
    "/x?y=/./z",
    "/x?",
    "/x?a=1?b=2",
    "/~u/a-b_c.d!$&()*+,;=:@",
    "//evil.test/x",
    "/a%zz",
  ]) {
    expectPlain(target);
  }
});

test("targets the URL parser would change are not plain", () => {
  const changed = [
    "",
    "x",
    "*",
    "/a/./b",
    "/a/../b",
    "/.",
    "/..",
    "/a/%2e/b",
    "/a/%2E%2e",
    "/.well-known/x",
    "/a\\b",
    "/a b",
    '/a"b',
    "/a<b",
    "/a>b",
    "/a`b",
    "/a{b",
    "/a}b",
    "/a|b",
    "/a^b",
    "/a#b",
    "/é",
    "/a\u0000b",
    "/a\tb",
    "/x?q='1'",
    "/x?a b",
  ];
  for (const target of changed) assert.equal(scanTarget(target), -1, JSON.stringify(target));
});

test("random targets: whatever scanTarget calls plain, the URL parser leaves unchanged", () => {
  const alphabet = [
    "/",
    "/",
    "/",
    ".",
    "%",
    "2",
    "e",
    "E",
    "?",
    "#",
    "'",
    "\\",
    " ",
    "a",
    "b",
    "-",
    "~",
    "%2e",
    "%2F",
    "..",
    "é",
    "\t",
    "{",
    "|",
  ];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let plain = 0;
  for (let i = 0; i < 20_000; i++) {
    let target = "/";
    const length = next(12);
    for (let j = 0; j < length; j++) target += alphabet[next(alphabet.length)];
    if (scanTarget(target) === -1) continue;
    plain++;
    expectPlain(target);
  }
  // The generator must reach both verdicts, or the test proves nothing.
  assert.ok(plain > 1000, `only ${plain} plain targets generated`);
});
