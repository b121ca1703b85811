// Hono 4 on @hono/node-server as its docs show: one sub-app mounted under /api and /mw, with a
// middleware registered for /mw/*.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { HOST, MW_HEADER, TOKEN, portFromEnv } from "./contract.mjs";

const api = new Hono();
api.get("/json", (c) => c.json({ hello: "world" }));
api.get("/users/:id", (c) => c.json({ id: c.req.param("id") }));
api.post("/echo", async (c) => c.json(await c.req.json()));

const app = new Hono();
app.use("/mw/*", async (c, next) => {
  if (c.req.header("authorization") !== `Bearer ${TOKEN}`) {
    return c.json({ error: "unauthorized" }, 401);
  }
  await next();
  c.header(MW_HEADER, "ok");
});
app.route("/api", api);
app.route("/mw", api);

serve({ fetch: app.fetch, port: portFromEnv(), hostname: HOST });
