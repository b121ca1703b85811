// Baseline: the smallest node:http program that does the same work as the frameworks: route by
// comparing strings, read the body with 'data'/'end' under the same 1 MiB cap, answer JSON. No
// async wrapper, no regular expression and no split per request: this is the physical limit an
// HTTP row is held to, so it must not carry work it does not need.
import { createServer } from "node:http";
import { HOST, MW_HEADER, TOKEN, portFromEnv } from "./contract.mjs";

const BODY_LIMIT = 1024 * 1024;
const AUTH = `Bearer ${TOKEN}`;

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function echo(req, res) {
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size <= BODY_LIMIT) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > BODY_LIMIT) return send(res, 413, { error: "body too large" });
    let value;
    try {
      value = JSON.parse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } catch {
      return send(res, 400, { error: "invalid JSON" });
    }
    send(res, 200, value);
  });
}

function api(req, res, path) {
  if (path === "/json") {
    if (req.method === "GET") return send(res, 200, { hello: "world" });
  } else if (path === "/echo") {
    if (req.method === "POST") return echo(req, res);
  } else if (path.startsWith("/users/") && path.length > 7 && path.indexOf("/", 7) === -1) {
    if (req.method === "GET") {
      let id;
      try {
        id = decodeURIComponent(path.slice(7));
      } catch {
        return send(res, 400, { error: "bad path" });
      }
      return send(res, 200, { id });
    }
  }
  send(res, 404, { error: "not found" });
}

const server = createServer((req, res) => {
  const url = req.url;
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (path.startsWith("/api/")) return api(req, res, path.slice(4));
  if (path.startsWith("/mw/")) {
    if (req.headers.authorization !== AUTH) return send(res, 401, { error: "unauthorized" });
    res.setHeader(MW_HEADER, "ok");
    return api(req, res, path.slice(3));
  }
  send(res, 404, { error: "not found" });
});

server.listen(portFromEnv(), HOST);
