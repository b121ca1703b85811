// /_tandem/metrics in every mode, scraped over HTTP as Prometheus does: behind the app's
// middleware, with request counts and durations that move as requests are made, open sockets,
// and jobs by state.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";

const project = createProject({
  "tandem.config.ts": `import { defineConfig } from "tandem/server";

export default defineConfig({ metrics: true });
`,
  "middleware.ts": `export function middleware(request: Request) {
  if (request.headers.get("authorization") !== "Bearer scrape") return new Response("no", { status: 401 });
}

export const config = { matcher: ["/_tandem/metrics"] };
`,
  "app/api/cards/[id]/route.ts": `export function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return params.then(({ id }) => Response.json({ id }));
}
`,
  "app/api/notify/route.ts": `import notify from "../../../jobs/notify";

export async function POST() {
  return Response.json(await notify.enqueue({}));
}
`,
  "jobs/notify.ts": `import { defineJob } from "tandem/jobs";

export default defineJob({ run: () => "sent" });
`,
  "app/live/socket.ts": `import { defineSocket } from "tandem/realtime";

export default defineSocket({ message(peer) { peer.send("ok"); } });
`,
});
after(() => project.remove());

describeModes("metrics", project.root, (app) => {
  /** A scrape over HTTP, parsed into sample lines: `name{labels}` -> value. */
  async function scrape(): Promise<Map<string, number>> {
    const response = await fetch(new URL("/_tandem/metrics", await app().url()), { headers: { authorization: "Bearer scrape" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const samples = new Map<string, number>();
    for (const line of (await response.text()).split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      const space = line.lastIndexOf(" ");
      samples.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return samples;
  }
  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(new URL(path, await app().url()), init);
    await response.body?.cancel();
    return response;
  };

  test("the middleware protects the endpoint", async () => {
    assert.equal((await get("/_tandem/metrics")).status, 401);
    assert.equal((await get("/_tandem/metrics", { headers: { authorization: "Bearer wrong" } })).status, 401);
  });

  test("requests by method, route pattern and status, and their duration, move with requests", async () => {
    const series = 'method="GET",route="/api/cards/[id]",status="200"';
    const before = await scrape();
    for (const id of ["1", "2", "3"]) assert.equal((await get(`/api/cards/${id}`)).status, 200);
    assert.equal((await get("/no/such/path")).status, 404);
    const afterwards = await scrape();
    const delta = (name: string) => (afterwards.get(name) ?? 0) - (before.get(name) ?? 0);
    assert.equal(delta(`http_server_requests_total{${series}}`), 3);
    assert.equal(delta(`http_server_request_duration_seconds_count{${series}}`), 3);
    assert.equal(delta(`http_server_request_duration_seconds_bucket{${series},le="+Inf"}`), 3);
    assert.ok(delta(`http_server_request_duration_seconds_sum{${series}}`) > 0);
    // A path no route matched is one series, whatever the path: no label per URL.
    assert.equal(delta('http_server_requests_total{method="GET",route="",status="404"}'), 1);
    // The scrape that the first one was is counted by the second.
    assert.ok((afterwards.get('http_server_requests_total{method="GET",route="",status="200"}') ?? 0) >= 1);
  });

  test("open sockets", async () => {
    const ws = await app().socket("/live");
    assert.equal((await scrape()).get("tandem_sockets_open"), 1);
    const closed = new Promise((resolve) => ws.once("close", resolve));
    ws.close();
    await closed;
    const deadline = Date.now() + 5000;
    while ((await scrape()).get("tandem_sockets_open") !== 0) {
      if (Date.now() > deadline) assert.fail("the socket is still counted after it closed");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  test("jobs by name and state", async () => {
    const before = (await scrape()).get('tandem_jobs{name="notify",state="completed"}') ?? 0;
    assert.equal((await get("/api/notify", { method: "POST" })).status, 200);
    await app().drainJobs();
    const samples = await scrape();
    assert.equal(samples.get('tandem_jobs{name="notify",state="completed"}'), before + 1);
    assert.equal(samples.get('tandem_jobs{name="notify",state="waiting"}'), 0);
  });
});
