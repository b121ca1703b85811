// The one case table every Router implementation runs (router.test.ts). A case lists patterns and
// what each path must match: the winning pattern and its params, null for no match, or an error.
import type { Params } from "tandem/server";

export interface PathCase {
  path: string;
  /** The pattern that must win, or null for "no match" (404). */
  match?: string | null;
  params?: Params;
  /** The path is malformed: match() throws HttpError with this code (status 400). */
  throws?: "TND_ERR_BAD_PATH";
}

export interface MatchCase {
  name: string;
  patterns: string[];
  maxParamLength?: number;
  paths: PathCase[];
}

export interface ErrorCase {
  name: string;
  patterns: string[];
  code: "TND_ERR_ROUTE_CONFLICT" | "TND_ERR_ROUTE_PATTERN_INVALID";
  /** Every fragment must appear in the message (both patterns, for conflicts). */
  mentions: string[];
}

/** A tree under app/ scanned by scanApp, then matched: groups, private folders, %5F. */
export interface TreeCase {
  name: string;
  files: string[];
  paths: PathCase[];
}

const long = (n: number, c = "x") => c.repeat(n);

export const matchCases: MatchCase[] = [
  {
    name: "static routes, root, case and trailing slash",
    patterns: ["/", "/about", "/about/team", "/api/health"],
    paths: [
      { path: "/", match: "/", params: {} },
      { path: "/about", match: "/about", params: {} },
      { path: "/about/", match: "/about", params: {} },
      { path: "/about/team/", match: "/about/team", params: {} },
      { path: "/about//", match: null },
      { path: "//about", match: null },
      { path: "/about//team", match: null },
      { path: "/ABOUT", match: null },
      { path: "/about/teams", match: null },
      { path: "/api", match: null },
      { path: "about", throws: "TND_ERR_BAD_PATH" },
      { path: "", throws: "TND_ERR_BAD_PATH" },
    ],
  },
  {
    name: "dynamic segments and backtracking from a static sibling",
    patterns: ["/users/[id]", "/users/[id]/posts", "/users/me"],
    paths: [
      { path: "/users/me", match: "/users/me", params: {} },
      { path: "/users/42", match: "/users/[id]", params: { id: "42" } },
      { path: "/users/42/", match: "/users/[id]", params: { id: "42" } },
      { path: "/users/42/posts", match: "/users/[id]/posts", params: { id: "42" } },
      { path: "/users/me/posts", match: "/users/[id]/posts", params: { id: "me" } },
      { path: "/users", match: null },
      { path: "/users/", match: null },
      { path: "/users/42/posts/1", match: null },
    ],
  },
  {
    name: "precedence per segment: /a/[id]/b and /a/x/[...r] both work",
    patterns: ["/a/[id]/b", "/a/x/[...r]", "/a/x/c"],
    paths: [
      { path: "/a/x/c", match: "/a/x/c", params: {} },
      { path: "/a/x/b", match: "/a/x/[...r]", params: { r: ["b"] } },
      { path: "/a/y/b", match: "/a/[id]/b", params: { id: "y" } },
      { path: "/a/x/b/c", match: "/a/x/[...r]", params: { r: ["b", "c"] } },
      { path: "/a/y/c", match: null },
      { path: "/a/x", match: null },
    ],
  },
  {
    name: "static > dynamic > catch-all at one level",
    patterns: ["/p/new", "/p/[id]", "/p/[...rest]"],
    paths: [
      { path: "/p/new", match: "/p/new", params: {} },
      { path: "/p/5", match: "/p/[id]", params: { id: "5" } },
      { path: "/p/new/edit", match: "/p/[...rest]", params: { rest: ["new", "edit"] } },
      { path: "/p/5/6/7", match: "/p/[...rest]", params: { rest: ["5", "6", "7"] } },
      { path: "/p", match: null },
    ],
  },
  {
    name: "dynamic > optional catch-all; the optional one also matches its parent URL",
    patterns: ["/q/[id]", "/q/[[...rest]]"],
    paths: [
      { path: "/q", match: "/q/[[...rest]]", params: {} },
      { path: "/q/", match: "/q/[[...rest]]", params: {} },
      { path: "/q/1", match: "/q/[id]", params: { id: "1" } },
      { path: "/q/1/2", match: "/q/[[...rest]]", params: { rest: ["1", "2"] } },
      { path: "/", match: null },
    ],
  },
  {
    name: "optional catch-all at the root",
    patterns: ["/[[...slug]]", "/api/health"],
    paths: [
      { path: "/", match: "/[[...slug]]", params: {} },
      { path: "/a/b", match: "/[[...slug]]", params: { slug: ["a", "b"] } },
      { path: "/api/health", match: "/api/health", params: {} },
      { path: "/api/other", match: "/[[...slug]]", params: { slug: ["api", "other"] } },
      { path: "/api", match: "/[[...slug]]", params: { slug: ["api"] } },
    ],
  },
  {
    name: "backtracking out of a static branch into a dynamic one",
    patterns: ["/[a]/x/y", "/b/[c]/z"],
    paths: [
      { path: "/b/x/y", match: "/[a]/x/y", params: { a: "b" } },
      { path: "/b/x/z", match: "/b/[c]/z", params: { c: "x" } },
      { path: "/q/x/y", match: "/[a]/x/y", params: { a: "q" } },
      { path: "/b/x", match: null },
    ],
  },
  {
    name: "catch-all with a static sibling",
    patterns: ["/docs/[...slug]", "/docs/intro", "/shop/[category]/[...rest]"],
    paths: [
      { path: "/docs/intro", match: "/docs/intro", params: {} },
      { path: "/docs/intro/more", match: "/docs/[...slug]", params: { slug: ["intro", "more"] } },
      { path: "/docs", match: null },
      { path: "/shop/shoes/a/b", match: "/shop/[category]/[...rest]", params: { category: "shoes", rest: ["a", "b"] } },
      { path: "/shop/shoes", match: null },
    ],
  },
  {
    name: "percent-encoding: decoded per segment, %2F stays inside one value",
    patterns: ["/files/[name]", "/caf\u00e9", "/a b/[x]", "/docs/[...slug]", "/100%"],
    paths: [
      { path: "/files/a%2Fb", match: "/files/[name]", params: { name: "a/b" } },
      { path: "/files/a%2fb", match: "/files/[name]", params: { name: "a/b" } },
      { path: "/files/hello%20world", match: "/files/[name]", params: { name: "hello world" } },
      { path: "/files/%F0%9F%98%80", match: "/files/[name]", params: { name: "\u{1F600}" } },
      { path: "/caf%C3%A9", match: "/caf\u00e9", params: {} },
      { path: "/caf%c3%a9/", match: "/caf\u00e9", params: {} },
      { path: "/a%20b/1", match: "/a b/[x]", params: { x: "1" } },
      { path: "/%66iles/x", match: "/files/[name]", params: { name: "x" } },
      { path: "/docs/a%2Fb/c", match: "/docs/[...slug]", params: { slug: ["a/b", "c"] } },
      { path: "/files/abcdefghij%20k", match: "/files/[name]", params: { name: "abcdefghij k" } },
      { path: "/docs/abcdefghijkl/x%20y", match: "/docs/[...slug]", params: { slug: ["abcdefghijkl", "x y"] } },
      { path: "/docs/abcdefghijkl/xyz", match: "/docs/[...slug]", params: { slug: ["abcdefghijkl", "xyz"] } },
      { path: "/100%25", match: "/100%", params: {} },
      { path: "/files/...", match: "/files/[name]", params: { name: "..." } },
      { path: "/100%", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/%zz", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/%", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/%E0%A4%A", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/%C3%28", throws: "TND_ERR_BAD_PATH" },
      { path: "/nowhere/%zz", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/..", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/%2e%2e", throws: "TND_ERR_BAD_PATH" },
      { path: "/files/%2E", throws: "TND_ERR_BAD_PATH" },
      { path: "/docs/a/../b", throws: "TND_ERR_BAD_PATH" },
    ],
  },
  {
    name: "parameter length limit (default 100): longer values do not match",
    patterns: ["/p/[id]", "/c/[...rest]", `/s/${long(150, "s")}`, "/o/[[...rest]]"],
    paths: [
      { path: `/p/${long(100)}`, match: "/p/[id]", params: { id: long(100) } },
      { path: `/p/${long(101)}`, match: null },
      { path: `/p/${long(10_000)}`, match: null },
      { path: `/p/${"%41".repeat(100)}`, match: "/p/[id]", params: { id: long(100, "A") } },
      { path: `/p/${"%41".repeat(101)}`, match: null },
      { path: `/c/a/${long(100)}`, match: "/c/[...rest]", params: { rest: ["a", long(100)] } },
      { path: `/c/a/${long(101)}`, match: null },
      { path: `/c/${long(101)}/a`, match: null },
      { path: `/o/a/${long(101)}`, match: null },
      { path: `/s/${long(150, "s")}`, match: `/s/${long(150, "s")}`, params: {} },
    ],
  },
  {
    name: "configurable maxParamLength",
    patterns: ["/p/[id]", "/p/[id]/[...rest]"],
    maxParamLength: 5,
    paths: [
      { path: "/p/12345", match: "/p/[id]", params: { id: "12345" } },
      { path: "/p/123456", match: null },
      { path: "/p/1/12345", match: "/p/[id]/[...rest]", params: { id: "1", rest: ["12345"] } },
      { path: "/p/1/123456", match: null },
      { path: "/p/12345/1", match: "/p/[id]/[...rest]", params: { id: "12345", rest: ["1"] } },
      { path: "/p/123456/1", match: null },
      { path: "/p/12345/", match: "/p/[id]", params: { id: "12345" } },
    ],
  },
  {
    name: "dynamic and catch-all with different names may be siblings (as in Next.js)",
    patterns: ["/t/[id]", "/t/[...path]", "/t/[id]/edit"],
    paths: [
      { path: "/t/1", match: "/t/[id]", params: { id: "1" } },
      { path: "/t/1/edit", match: "/t/[id]/edit", params: { id: "1" } },
      { path: "/t/1/view", match: "/t/[...path]", params: { path: ["1", "view"] } },
    ],
  },
  {
    name: "a dynamic segment before an optional catch-all that matched nothing",
    patterns: ["/[id]/[[...rest]]"],
    paths: [
      { path: "/x", match: "/[id]/[[...rest]]", params: { id: "x" } },
      { path: "/x/", match: "/[id]/[[...rest]]", params: { id: "x" } },
      { path: "/x/a/b/", match: "/[id]/[[...rest]]", params: { id: "x", rest: ["a", "b"] } },
      { path: "/x/a//b", match: null },
    ],
  },
  {
    name: "'.' and '..' anywhere, after a miss too; an empty segment before them wins",
    patterns: ["/users/[id]", "/docs/[...slug]"],
    paths: [
      { path: "/users/42/.", throws: "TND_ERR_BAD_PATH" },
      { path: "/nowhere/..", throws: "TND_ERR_BAD_PATH" },
      { path: "/docs/a/./b", throws: "TND_ERR_BAD_PATH" },
      { path: "/../users/1", throws: "TND_ERR_BAD_PATH" },
      { path: "/a//..", match: null },
      { path: "/users/.x", match: "/users/[id]", params: { id: ".x" } },
      { path: "/users/x.", match: "/users/[id]", params: { id: "x." } },
      { path: "/.well-known", match: null },
      { path: "/docs/a/b/", match: "/docs/[...slug]", params: { slug: ["a", "b"] } },
    ],
  },
  {
    name: "static keys holding '%' among few and among many siblings",
    patterns: ["/100%", "/100", "/10", ...Array.from({ length: 9 }, (_, i) => `/w/k${i}`), "/w/50%", "/w/[id]"],
    paths: [
      { path: "/100", match: "/100", params: {} },
      { path: "/10", match: "/10", params: {} },
      { path: "/100%25", match: "/100%", params: {} },
      { path: "/100%", throws: "TND_ERR_BAD_PATH" },
      { path: "/w/k3", match: "/w/k3", params: {} },
      { path: "/w/k3/", match: "/w/k3", params: {} },
      { path: "/w/%6b3", match: "/w/k3", params: {} },
      { path: "/w/k", match: "/w/[id]", params: { id: "k" } },
      { path: "/w/k30", match: "/w/[id]", params: { id: "k30" } },
      { path: "/w/50%25", match: "/w/50%", params: {} },
      { path: "/w/50%", throws: "TND_ERR_BAD_PATH" },
      { path: "/w/50", match: "/w/[id]", params: { id: "50" } },
      { path: "/w/k3/x", match: null },
    ],
  },
  {
    name: "no routes",
    patterns: [],
    paths: [
      { path: "/", match: null },
      { path: "/anything", match: null },
    ],
  },
];

export const errorCases: ErrorCase[] = [
  ...(
    [
      [["/a/[id]", "/a/[slug]"], "different slug names"],
      [["/a/[id]/x", "/a/[slug]/y"], "different slug names"],
      [["/a/[...x]", "/a/[...y]"], "different slug names"],
      [["/a/[...x]", "/a/[[...x]]"], "required and an optional catch-all"],
      [["/a/[[...x]]", "/a/[...x]"], "required and an optional catch-all"],
      [["/a", "/a"], "both serve"],
      [["/a/[id]", "/a/[id]"], "both serve"],
      [["/a/[...x]", "/a/[...x]"], "both serve"],
      [["/a", "/a/[[...x]]"], "optional catch-all"],
      [["/a/[[...x]]", "/a"], "optional catch-all"],
      [["/", "/[[...x]]"], "optional catch-all"],
      [["/b/[id]", "/b/[id]/[[...x]]"], "optional catch-all"],
    ] as const
  ).map(
    ([patterns, fragment]): ErrorCase => ({
      name: `conflict: ${patterns.join(" + ")}`,
      patterns: [...patterns],
      code: "TND_ERR_ROUTE_CONFLICT",
      mentions: [fragment, `"${patterns[0]}"`, `"${patterns[1]}"`],
    }),
  ),
  ...(
    [
      ["/a/[...x]/b", "catch-all must be the last"],
      ["/a/[[...x]]/b", "optional catch-all must be the last"],
      ["/[]", "name is empty"],
      ["/[...]", "name is empty"],
      ["/[[...]]", "name is empty"],
      ["/[a-b", "brackets"],
      ["/a]", "brackets"],
      ["/x[id]", "brackets"],
      ["/[[...slug]", "brackets"],
      ["/[[id]]", "optional segments"],
      ["/[.id]", "period"],
      ["/[a b]", "letters, digits"],
      ["/[__proto__]", "__proto__"],
      ["/[id]/[id]", "used twice"],
      ["/[id]/[...id]", "used twice"],
      ["a", "start with"],
      ["/a/", "empty segments"],
      ["/a//b", "empty segments"],
      ["/a/..", "dot segments"],
      ["/(marketing)/about", "route groups"],
    ] as const
  ).map(
    ([pattern, fragment]): ErrorCase => ({
      name: `invalid: ${pattern}`,
      patterns: [pattern],
      code: "TND_ERR_ROUTE_PATTERN_INVALID",
      mentions: [fragment, pattern],
    }),
  ),
];

export const treeCases: TreeCase[] = [
  {
    name: "groups, private folders and %5F",
    files: [
      "app/page.tsx",
      "app/(marketing)/about/page.tsx",
      "app/(marketing)/layout.tsx",
      "app/(shop)/cart/route.ts",
      "app/(shop)/(nested)/items/[id]/page.tsx",
      "app/_components/page.tsx",
      "app/_lib/api/route.ts",
      "app/%5Fnext/route.ts",
      "app/docs/[[...slug]]/page.tsx",
      "app/chat/[room]/socket.ts",
    ],
    paths: [
      { path: "/", match: "/", params: {} },
      { path: "/about", match: "/about", params: {} },
      { path: "/cart", match: "/cart", params: {} },
      { path: "/items/7", match: "/items/[id]", params: { id: "7" } },
      { path: "/marketing/about", match: null },
      { path: "/(marketing)/about", match: null },
      { path: "/_components", match: null },
      { path: "/_lib/api", match: null },
      { path: "/_next", match: "/_next", params: {} },
      { path: "/%5Fnext", match: "/_next", params: {} },
      { path: "/docs", match: "/docs/[[...slug]]", params: {} },
      { path: "/docs/a/b", match: "/docs/[[...slug]]", params: { slug: ["a", "b"] } },
      { path: "/chat/lobby", match: "/chat/[room]", params: { room: "lobby" } },
    ],
  },
];
