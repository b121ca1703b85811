// Fastify 5 as its docs show: routes in a plugin, registered twice with a prefix; the /mw copy gets
// an onRequest hook, and encapsulation keeps that hook off /api.
import Fastify from "fastify";
import { HOST, MW_HEADER, TOKEN, portFromEnv } from "./contract.mjs";

async function routes(fastify) {
  fastify.get("/json", async () => ({ hello: "world" }));
  fastify.get("/users/:id", async (request) => ({ id: request.params.id }));
  fastify.post("/echo", async (request) => request.body);
}

async function protectedRoutes(fastify) {
  fastify.addHook("onRequest", async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      return reply.code(401).send({ error: "unauthorized" });
    }
    reply.header(MW_HEADER, "ok");
  });
  await fastify.register(routes);
}

// BENCH_LOGGER=1: its pino logger on (a line per request and per response), for the logging suite.
const fastify = Fastify({ logger: process.env.BENCH_LOGGER === "1" });
await fastify.register(routes, { prefix: "/api" });
await fastify.register(protectedRoutes, { prefix: "/mw" });
await fastify.listen({ port: portFromEnv(), host: HOST });
