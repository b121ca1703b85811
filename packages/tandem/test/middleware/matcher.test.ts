import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse, tokensToRegexp } from "path-to-regexp";
import { compileMatcher, forTest, prefixMatcher } from "../../src/app/middleware/matcher.js";
import { TandemError } from "../../src/errors/http-error.js";

interface Case {
  name: string;
  config: unknown;
  /** Paths (raw, as received) that must run middleware. */
  yes: string[];
  /** Paths that must not. */
  no: string[];
}

// Next.js docs examples and path-to-regexp 6 behaviours Next.js users rely on.
const paths: Case[] = [
  { name: "no config", config: undefined, yes: ["/", "/api/x", "/_next/static/a.js"], no: [] },
  { name: "config without matcher", config: { runtime: "nodejs" }, yes: ["/", "/anything/at/all"], no: [] },
  {
    name: "single path, optional trailing slash, case-sensitive",
    config: { matcher: "/about" },
    yes: ["/about", "/about/"],
    no: ["/about/team", "/About", "/aboutx", "/", "/x/about"],
  },
  {
    name: "zero or more segments (:path*)",
    config: { matcher: "/about/:path*" },
    yes: ["/about", "/about/", "/about/a", "/about/a/b/c"],
    no: ["/aboutx", "/abou", "/other/about"],
  },
  {
    name: "one or more segments (:path+)",
    config: { matcher: "/dashboard/:path+" },
    yes: ["/dashboard/a", "/dashboard/a/b"],
    no: ["/dashboard", "/dashboard/", "/dash"],
  },
  {
    name: "named segment matches exactly one segment",
    config: { matcher: "/blog/:slug" },
    yes: ["/blog/hello"],
    no: ["/blog", "/blog/a/b"],
  },
  {
    name: "array of paths",
    config: { matcher: ["/about/:path*", "/dashboard/:path*"] },
    yes: ["/about", "/dashboard/settings"],
    no: ["/", "/blog"],
  },
  {
    name: "negative lookahead from the Next.js docs",
    config: { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] },
    yes: ["/", "/login", "/dashboard/a", "/a/favicon.ico", "/images/api"],
    // "/apiary" is excluded too: Next.js's own behaviour for this pattern.
    no: ["/api", "/api/users", "/apiary", "/_next/static/chunk.js", "/_next/image", "/favicon.ico"],
  },
  {
    name: "exclude static files by extension",
    config: { matcher: ["/((?!api|_next/static|_next/image|.*\\.png$).*)"] },
    yes: ["/", "/photo.jpg", "/png"],
    no: ["/logo.png", "/img/a.png"],
  },
  {
    name: "custom regex parameter",
    config: { matcher: "/user/:id(\\d+)" },
    yes: ["/user/42"],
    no: ["/user/abc", "/user/"],
  },
  { name: "everything", config: { matcher: "/:path*" }, yes: ["/", "/a", "/a/b"], no: [] },
  {
    name: "a lone { source } object",
    config: { matcher: { source: "/admin/:path*" } },
    yes: ["/admin", "/admin/users"],
    no: ["/"],
  },
  {
    name: "bare string value (compileMatcher(config.matcher))",
    config: "/shop/:path*",
    yes: ["/shop/x"],
    no: ["/x"],
  },
  {
    name: "percent-encoded paths match through their decoded form too",
    config: { matcher: "/admin/:path*" },
    yes: ["/%61dmin", "/%61dmin/users", "/admin/%75sers", "/%61dmin%3F"],
    // %2F stays inside its segment and %25 is decoded once, as the router does.
    no: ["/%2Fadmin", "/x%2Fadmin", "/adm%69nx", "/%2561dmin", "/%E0%A4%A"],
  },
  {
    name: "locale: false is accepted (Tandem has no i18n routing)",
    config: { matcher: [{ source: "/docs/:path*", locale: false }] },
    yes: ["/docs/intro"],
    no: ["/en/docs/intro"],
  },
];

describe("compileMatcher: paths", () => {
  for (const c of paths) {
    test(c.name, () => {
      const matches = compileMatcher(c.config);
      for (const path of c.yes) assert.equal(matches(new Request(`http://localhost${path}`), path), true, `${path} should match`);
      for (const path of c.no) assert.equal(matches(new Request("http://localhost/"), path), false, `${path} should not match`);
    });
  }
});

interface ConditionCase {
  name: string;
  request: { url?: string; headers?: Record<string, string> };
  matches: boolean;
}

const prefetch = [
  { type: "header", key: "next-router-prefetch" },
  { type: "header", key: "purpose", value: "prefetch" },
];
const source = "/((?!api|_next/static|_next/image|favicon.ico).*)";

const conditionSuites: Array<{ name: string; config: unknown; cases: ConditionCase[] }> = [
  {
    name: "Next.js docs: missing prefetch headers",
    config: { matcher: [{ source, missing: prefetch }] },
    cases: [
      { name: "plain navigation", request: {}, matches: true },
      { name: "router prefetch", request: { headers: { "next-router-prefetch": "1" } }, matches: false },
      { name: "purpose: prefetch", request: { headers: { purpose: "prefetch" } }, matches: false },
      { name: "purpose: other value", request: { headers: { purpose: "navigate" } }, matches: true },
      { name: "excluded path stays excluded", request: { url: "/api/x" }, matches: false },
    ],
  },
  {
    name: "Next.js docs: has both prefetch headers",
    config: { matcher: [{ source, has: prefetch }] },
    cases: [
      { name: "both present", request: { headers: { "next-router-prefetch": "1", purpose: "prefetch" } }, matches: true },
      { name: "only one", request: { headers: { "next-router-prefetch": "1" } }, matches: false },
      {
        name: "header names are case-insensitive",
        request: { headers: { "Next-Router-Prefetch": "1", PURPOSE: "prefetch" } },
        matches: true,
      },
    ],
  },
  {
    name: "Next.js docs: has x-present, missing x-missing=prefetch",
    config: {
      matcher: [
        { source, has: [{ type: "header", key: "x-present" }], missing: [{ type: "header", key: "x-missing", value: "prefetch" }] },
      ],
    },
    cases: [
      { name: "present only", request: { headers: { "x-present": "1" } }, matches: true },
      { name: "present and missing=prefetch", request: { headers: { "x-present": "1", "x-missing": "prefetch" } }, matches: false },
      { name: "present and missing=other", request: { headers: { "x-present": "1", "x-missing": "other" } }, matches: true },
      { name: "neither", request: {}, matches: false },
    ],
  },
  {
    name: "cookie conditions",
    config: {
      matcher: [{ source: "/app/:path*", has: [{ type: "cookie", key: "role", value: "(admin|editor)" }] }],
    },
    cases: [
      { name: "admin", request: { url: "/app/x", headers: { cookie: "a=1; role=admin" } }, matches: true },
      { name: "editor", request: { url: "/app", headers: { cookie: "role=editor" } }, matches: true },
      { name: "value is anchored", request: { url: "/app", headers: { cookie: "role=administrator" } }, matches: false },
      { name: "encoded value is decoded", request: { url: "/app", headers: { cookie: "role=%61dmin" } }, matches: true },
      { name: "no cookie", request: { url: "/app" }, matches: false },
      { name: "path still required", request: { url: "/other", headers: { cookie: "role=admin" } }, matches: false },
    ],
  },
  {
    name: "query conditions",
    config: { matcher: [{ source: "/:path*", has: [{ type: "query", key: "preview", value: "true" }] }] },
    cases: [
      { name: "present", request: { url: "/?preview=true" }, matches: true },
      { name: "last repeated value wins", request: { url: "/?preview=false&preview=true" }, matches: true },
      { name: "earlier value ignored", request: { url: "/?preview=true&preview=false" }, matches: false },
      { name: "empty value counts as absent", request: { url: "/?preview=" }, matches: false },
      { name: "absent", request: { url: "/x" }, matches: false },
    ],
  },
  {
    name: "presence without value",
    config: { matcher: [{ source: "/:path*", has: [{ type: "query", key: "debug" }] }] },
    cases: [
      { name: "any non-empty value", request: { url: "/?debug=1" }, matches: true },
      { name: "empty", request: { url: "/?debug" }, matches: false },
    ],
  },
  {
    name: "host conditions (port stripped, lower-cased)",
    config: { matcher: [{ source: "/:path*", has: [{ type: "host", value: "admin\\.example\\.com" }] }] },
    cases: [
      { name: "host header with port", request: { headers: { host: "admin.example.com:3000" } }, matches: true },
      { name: "upper case", request: { headers: { host: "ADMIN.Example.com" } }, matches: true },
      { name: "other host", request: { headers: { host: "www.example.com" } }, matches: false },
      { name: "no header: the URL's host", request: { url: "http://admin.example.com/x" }, matches: true },
    ],
  },
  {
    name: "first matching entry wins across several",
    config: {
      matcher: [
        { source: "/a", has: [{ type: "header", key: "x-a" }] },
        { source: "/a", missing: [{ type: "cookie", key: "session" }] },
      ],
    },
    cases: [
      { name: "header", request: { url: "/a", headers: { "x-a": "1", cookie: "session=1" } }, matches: true },
      { name: "no session", request: { url: "/a" }, matches: true },
      { name: "session, no header", request: { url: "/a", headers: { cookie: "session=1" } }, matches: false },
    ],
  },
];

describe("compileMatcher: has / missing", () => {
  for (const suite of conditionSuites) {
    test(suite.name, () => {
      const matches = compileMatcher(suite.config);
      for (const c of suite.cases) {
        const url = c.request.url ?? "/";
        const full = url.startsWith("http") ? url : `http://localhost${url}`;
        const request = new Request(full, { headers: c.request.headers });
        assert.equal(matches(request, new URL(full).pathname), c.matches, c.name);
      }
    });
  }
});

const invalid: Array<{ name: string; config: unknown; mentions: string }> = [
  { name: "path without leading slash", config: { matcher: "about" }, mentions: '"about" must start with "/"' },
  { name: "one bad entry in an array", config: { matcher: ["/ok", "dashboard"] }, mentions: "config.matcher[1]" },
  { name: "unbalanced group", config: { matcher: "/(unclosed" }, mentions: '"/(unclosed" is not a valid path pattern' },
  { name: "missing parameter name", config: { matcher: "/x/:" }, mentions: "/x/:" },
  { name: "number", config: { matcher: 42 }, mentions: "got 42" },
  { name: "config that is not an object", config: 42, mentions: "got 42" },
  { name: "empty array", config: { matcher: [] }, mentions: "empty array" },
  { name: "object without source", config: { matcher: [{ has: [] }] }, mentions: "config.matcher[0].source is required" },
  { name: "unknown key", config: { matcher: [{ source: "/x", sorce: "/y" }] }, mentions: "sorce" },
  { name: "locale: true", config: { matcher: [{ source: "/x", locale: true }] }, mentions: "locale may only be false" },
  { name: "has is not an array", config: { matcher: [{ source: "/x", has: { type: "header" } }] }, mentions: "has must be an array" },
  { name: "header without key", config: { matcher: [{ source: "/x", has: [{ type: "header" }] }] }, mentions: "has[0].key is required" },
  { name: "unknown type", config: { matcher: [{ source: "/x", missing: [{ type: "ip", key: "a" }] }] }, mentions: '"ip"' },
  {
    name: "bad value regex",
    config: { matcher: [{ source: "/x", has: [{ type: "query", key: "a", value: "(" }] }] },
    mentions: '"(" is not a valid regular expression',
  },
  {
    name: "host with key",
    config: { matcher: [{ source: "/x", has: [{ type: "host", key: "h", value: "a" }] }] },
    mentions: "host condition takes no key",
  },
  { name: "host without value", config: { matcher: [{ source: "/x", has: [{ type: "host" }] }] }, mentions: "needs a string value" },
  { name: "overlong source", config: { matcher: "/" + "a".repeat(4096) }, mentions: "longer than 4096" },
];

describe("compileMatcher: invalid matchers fail at startup", () => {
  for (const c of invalid) {
    test(c.name, () => {
      assert.throws(
        () => compileMatcher(c.config),
        (error: unknown) => {
          assert.ok(error instanceof TandemError);
          assert.equal(error.code, "TND_ERR_MATCHER_INVALID");
          assert.ok(error.message.includes(c.mentions), `message ${JSON.stringify(error.message)} should mention ${c.mentions}`);
          return true;
        },
      );
    });
  }
});

test("matching is cheap: 100,000 checks against the docs matcher stay well under a second", () => {
  const matches = compileMatcher({ matcher: [{ source, missing: prefetch }] });
  const request = new Request("http://localhost/dashboard");
  const start = performance.now();
  let hits = 0;
  for (let i = 0; i < 100_000; i++) if (matches(request, "/dashboard")) hits++;
  assert.equal(hits, 100_000);
  assert.ok(performance.now() - start < 1000);
});

test("matchers run a capture-free, greedy form of path-to-regexp's output that accepts exactly the same paths", () => {
  const sources = [
    "/mw/:path*",
    "/api/:id",
    "/((?!api|_next/static|_next/image|favicon.ico).*)",
    "/a/:b?",
    "/x/:y+",
    "/docs/:slug(\\d+)",
    "/:a{-:b}?",
    "/files/:name.:ext",
    "/(.*)",
    "/shop/:cat/:item*",
    "/v:major(\\d+)/:rest*",
    "/a\\(b\\)/:c",
  ];
  const pieces = [
    "/",
    "/",
    "a",
    "b",
    "-",
    ".",
    "1",
    "42",
    "api",
    "mw",
    "x",
    "docs",
    "_next",
    "static",
    "%2F",
    "?",
    "#",
    "(",
    ")",
    "v1",
    "files",
    "shop",
  ];
  let seed = 11;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const paths = [
    "/",
    "/mw",
    "/mw/",
    "/mw/users/1",
    "/api/7",
    "/api/7/",
    "/docs/12",
    "/docs/x",
    "/files/a.txt",
    "/a(b)/c",
    "/v2/x/y",
    "/a",
    "/a/b",
    "/x/y/z",
    "/b-c",
    "/shop/c",
    "/shop/c/d/e",
  ];
  for (let i = 0; i < 3000; i++) {
    let path = "";
    for (let j = 0, n = 1 + next(8); j < n; j++) path += pieces[next(pieces.length)];
    paths.push(path);
  }
  for (const source of sources) {
    const original = new RegExp(tokensToRegexp(parse(source)).source);
    const fast = new RegExp(forTest(original.source));
    assert.doesNotMatch(
      fast.source.replace(/\\./g, ""),
      /\((?!\?)|[+*?]\?/,
      `${source}: ${fast.source} still captures or has a lazy quantifier`,
    );
    let matched = 0;
    for (const path of paths) {
      assert.equal(fast.test(path), original.test(path), `${source} on ${JSON.stringify(path)}`);
      if (original.test(path)) matched++;
    }
    assert.ok(matched > 0 && matched < paths.length, `${source}: the paths must reach both answers (${matched} matched)`);
  }
  // "/prefix/:name*" runs without an expression; it must accept exactly the same paths.
  for (const source of ["/mw/:path*", "/a/:p*", "/api/v1/:rest*", "/x.y/:z*", "/docs/:slug*"]) {
    const original = new RegExp(tokensToRegexp(parse(source)).source);
    const check = prefixMatcher(source);
    assert.ok(check, `${source} should get a prefix check`);
    const tricky = [
      "/mw#",
      "/mw?",
      "/mw/a#",
      "/mw/a?",
      "/mw/#",
      "/mw//",
      "/mw/a//",
      "/mw/a/",
      "/mw/",
      "/mwx",
      "/m",
      "/mw/a#b",
      "/a",
      "/a/",
      "/a/b/c/",
    ];
    let matched = 0;
    for (const path of [...paths, ...tricky, ...tricky.map((p) => p.replace("/mw", source.slice(0, source.indexOf("/:"))))]) {
      assert.equal(check(path), original.test(path), `${source} on ${JSON.stringify(path)}`);
      if (check(path)) matched++;
    }
    assert.ok(matched > 0, `${source} matched nothing`);
  }
  for (const other of ["/mw/:path+", "/mw/:path", "/mw/(.*)", "/:path*", "/m(w)/:p*", "/mw/:path*/x"])
    assert.equal(prefixMatcher(other), undefined, other);
  // A backreference needs its group: such a source is kept as it is.
  assert.equal(forTest("^\\/(a)\\/\\1$"), "^\\/(a)\\/\\1$");
});
