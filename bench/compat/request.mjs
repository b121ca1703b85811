import { request } from "node:http";

// Sends one case with node:http rather than fetch: fetch would follow or refuse some requests a
// case needs to make as written (a made-up method, a body on DELETE, no Accept-Encoding added).

const TIMEOUT_MS = 30_000;

/** Resolves { status, headers, setCookies, body: Buffer } or { error } when no answer came. */
export function send(port, testCase) {
  const body =
    testCase.body === undefined
      ? undefined
      : Buffer.from(typeof testCase.body === "string" ? testCase.body : JSON.stringify(testCase.body));
  const headers = { ...(testCase.headers ?? {}) };
  if (body) headers["content-length"] = String(body.length);
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, method: testCase.method ?? "GET", path: testCase.path, headers, agent: false, timeout: TIMEOUT_MS },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.once("end", () => {
          const { "set-cookie": setCookies, ...rest } = res.headers;
          resolve({ status: res.statusCode, headers: rest, setCookies: setCookies ?? [], body: Buffer.concat(chunks) });
        });
        res.once("error", (error) => resolve({ error: error.message }));
      },
    );
    req.once("timeout", () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
    req.once("error", (error) => resolve({ error: error.message }));
    req.end(body);
  });
}

/** Waits until something answers HTTP on the port (any status: a fixture may have no `/`). */
export async function waitListening(port, server, timeoutMs = 60_000) {
  const started = Date.now();
  let exited = null;
  server.exited.then((result) => (exited = result));
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`server exited before listening (code ${exited.code})\n${server.output}`);
    const answer = await send(port, { method: "GET", path: "/" });
    if (!answer.error) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs / 1000} s\n${server.output}`);
}
