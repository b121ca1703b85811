// Baseline: what node:http costs with no framework at all. Routing and body reading by hand,
// as the Node.js docs show, with the same 1 MiB body cap the frameworks apply by default.
import { createServer } from "node:http";
import { HOST, MW_HEADER, TOKEN, portFromEnv } from "./contract.mjs";

const BODY_LIMIT = 1024 * 1024;
const USER = /^\/users\/([^/]+)$/;

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > BODY_LIMIT) return { error: 413 };
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { error: 400 };
  }
}

async function api(req, res, path) {
  if (path === "/json" && req.method === "GET") return send(res, 200, { hello: "world" });
  const user = USER.exec(path);
  if (user && req.method === "GET") return send(res, 200, { id: decodeURIComponent(user[1]) });
  if (path === "/echo" && req.method === "POST") {
    const body = await readJson(req);
    if (body.error) return send(res, body.error, { error: body.error === 413 ? "body too large" : "invalid JSON" });
    return send(res, 200, body.value);
  }
  send(res, 404, { error: "not found" });
}

const server = createServer(async (req, res) => {
  const path = req.url.split("?", 1)[0];
  try {
    if (path.startsWith("/api/")) return await api(req, res, path.slice(4));
    if (path.startsWith("/mw/")) {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { error: "unauthorized" });
      res.setHeader(MW_HEADER, "ok");
      return await api(req, res, path.slice(3));
    }
    send(res, 404, { error: "not found" });
  } catch {
    if (!res.headersSent) send(res, 500, { error: "internal error" });
    else res.destroy();
  }
});

server.listen(portFromEnv(), HOST);
