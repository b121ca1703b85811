import { createHash } from "node:crypto";

// Turns two raw responses (Next.js's and Tandem's to the same request) into comparable views and
// lists where they differ. What is compared is chosen so that a difference is one a client could
// notice: status, the headers that change behaviour, and the body as the client reads it. Values
// that differ on every run (dates, ports, ids) are normalised first.

// Headers a client acts on. `x-*` headers are compared too, except the ones each server adds
// about itself (they are not part of an app's answer).
const COMPARED_HEADERS = ["content-type", "location", "cache-control", "allow", "vary", "content-disposition"];
// x-middleware-rewrite and its kin are how Next.js's router talks to itself; a client ignores them.
const OWN_HEADERS = /^x-(powered-by|nextjs-|middleware-|tandem-|request-id$)/;

const HOST_PORT = /\b(?:127\.0\.0\.1|localhost|\[::1\]):\d+/g;
// The same in a URL's query (Auth.js's callbackUrl=http%3A%2F%2Flocalhost%3A3000%2F...).
const HOST_PORT_ENCODED = /(?<=%2F%2F)(?:127\.0\.0\.1|localhost|%5B%3A%3A1%5D)%3A\d+/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HTTP_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g;

/** Replaces the listening address with HOST and ids (a request id in an error page) with UUID so the two servers' answers line up. */
export function normaliseText(text, port) {
  const out = text.replace(HOST_PORT, "HOST").replace(HOST_PORT_ENCODED, "HOST").replace(UUID, "UUID");
  // The port on its own too (x-forwarded-port as a page prints it): the two servers' differ.
  return port ? out.replace(new RegExp(`\\b${port}\\b`, "g"), "PORT") : out;
}

function canonicalJson(value) {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalJson(value[key])]),
    );
  }
  return value;
}

/** Drops the keys listed in a case's `ignore` ("json:now" drops every `now` key at any depth). */
function withoutKeys(value, keys) {
  if (Array.isArray(value)) return value.map((item) => withoutKeys(item, keys));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !keys.has(key))
        .map(([key, item]) => [key, withoutKeys(item, keys)]),
    );
  }
  return value;
}

// Next.js lists its own request headers (RSC, router state) in Vary on every answer so that caches
// keep its RSC payloads apart; Tandem has no such requests. It also adds Accept-Encoding to every
// compressible answer, compressed or not (these requests ask for no encoding), which would mark
// nearly every case; compression is compared by the compression suite instead. Other names count.
const NEXT_VARY = /^(rsc|next-router-[a-z-]+|next-url|accept-encoding|x-tandem-[a-z-]+)$/i;

function varyValue(value) {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name && !NEXT_VARY.test(name))
    .map((name) => name.toLowerCase())
    .sort();
  return names.length ? names.join(", ") : undefined;
}

/** A header value that is a JSON document (x-request-meta) compares by structure, not spelling. */
function headerValue(value, port) {
  const text = normaliseText(value, port).replace(HTTP_DATE, "DATE");
  if (/^[[{]/.test(text)) {
    try {
      return JSON.stringify(canonicalJson(JSON.parse(text)));
    } catch {
      // not JSON after all: compare the text
    }
  }
  return text;
}

/**
 * One Set-Cookie line as `name=value; attr; attr=value` with attributes lower-cased and sorted,
 * so that `Path=/; HttpOnly` and `httponly; path=/` read the same.
 */
export function normaliseSetCookie(line, port) {
  const [pair, ...attributes] = line.split(";").map((part) => part.trim());
  const normalised = attributes
    .filter(Boolean)
    .map((attribute) => {
      const eq = attribute.indexOf("=");
      if (eq === -1) return attribute.toLowerCase();
      const name = attribute.slice(0, eq).trim().toLowerCase();
      const value = attribute.slice(eq + 1).trim();
      return `${name}=${name === "domain" || name === "samesite" ? value.toLowerCase() : value}`;
    })
    .sort();
  return [normaliseText(pair, port), ...normalised].join("; ");
}

function visibleText(html) {
  return html
    .replace(/<(script|style|template|noscript)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** An HTML page as a reader sees it: its title and the text of <main> (or <body>). */
export function summariseHtml(html) {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(html) ?? /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html);
  return { title: title === undefined ? null : visibleText(title), text: visibleText(main ? main[1] : html) };
}

function bodyView(response, testCase, port) {
  const { body } = response;
  if (body.length === 0) return { kind: "empty" };
  const type = (response.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const text = body.toString("utf8");
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      const keys = new Set((testCase.ignore ?? []).filter((i) => i.startsWith("json:")).map((i) => i.slice(5)));
      return { kind: "json", value: canonicalJson(withoutKeys(JSON.parse(normaliseText(text, port)), keys)) };
    } catch {
      return { kind: "text", value: normaliseText(text, port) };
    }
  }
  if (type === "text/html") return { kind: "html", value: summariseHtml(normaliseText(text, port)) };
  if (type.startsWith("text/") || type === "" || type.endsWith("xml") || type === "application/javascript") {
    return { kind: "text", value: normaliseText(text, port) };
  }
  return { kind: "bytes", value: `${body.length} bytes, sha256 ${createHash("sha256").update(body).digest("hex").slice(0, 16)}` };
}

/** The parts of a response this harness compares, normalised. */
export function toView(response, testCase, port) {
  // A case's `ignore` names what varies on every run: "header:<name>", "set-cookie", "body".
  const ignored = new Set((testCase.ignore ?? []).map((item) => item.replace(/^header:/, "")));
  const headers = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (ignored.has(name) || name === "set-cookie") continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    if (name === "allow") {
      // A set of methods: the order carries no meaning.
      headers.allow = text
        .split(",")
        .map((method) => method.trim().toUpperCase())
        .sort()
        .join(", ");
    } else if (name === "vary") {
      const vary = varyValue(text);
      if (vary) headers.vary = vary;
    } else if (COMPARED_HEADERS.includes(name) || (name.startsWith("x-") && !OWN_HEADERS.test(name))) {
      headers[name] = headerValue(text, port);
    }
  }
  const cookies = ignored.has("set-cookie") ? [] : (response.setCookies ?? []).map((line) => normaliseSetCookie(line, port));
  return {
    status: response.status,
    headers,
    cookies,
    body: ignored.has("body") ? { kind: "ignored" } : bodyView(response, testCase, port),
  };
}

const show = (value) => (value === undefined ? "(absent)" : typeof value === "string" ? value : JSON.stringify(value));

/** Every difference between two views, each as { what, next, tandem }. */
export function diffViews(next, tandem) {
  const differences = [];
  if (next.status !== tandem.status) differences.push({ what: "status", next: String(next.status), tandem: String(tandem.status) });
  const names = [...new Set([...Object.keys(next.headers), ...Object.keys(tandem.headers)])].sort();
  for (const name of names) {
    if (next.headers[name] !== tandem.headers[name]) {
      differences.push({ what: `header ${name}`, next: show(next.headers[name]), tandem: show(tandem.headers[name]) });
    }
  }
  if (JSON.stringify(next.cookies) !== JSON.stringify(tandem.cookies)) {
    differences.push({
      what: "set-cookie",
      next: show(next.cookies.join(" | ") || undefined),
      tandem: show(tandem.cookies.join(" | ") || undefined),
    });
  }
  if (JSON.stringify(next.body) !== JSON.stringify(tandem.body)) {
    const side = (body) => (body.kind === "empty" ? "(empty body)" : `${body.kind}: ${show(body.value)}`);
    differences.push({ what: "body", next: side(next.body), tandem: side(tandem.body) });
  }
  return differences;
}
