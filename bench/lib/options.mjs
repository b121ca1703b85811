import { parseArgs } from "node:util";

export const USAGE = `Usage: node run.mjs [options]

  --quick              short run to try the harness: 3 s per endpoint, 1 s warm-up, 3 cold starts
  --duration <s>       measured seconds per endpoint (default 10)
  --warmup <s>         warm-up seconds per endpoint, not measured (default 5)
  --connections <n>    concurrent connections of the load generator (default 50)
  --cold-starts <n>    cold starts per server; the median is reported (default 5)
  --rounds <n>         HTTP suite: start every server, then measure each endpoint in n rounds that
                       rotate the servers' order, and report each server's median (default 1:
                       one server after the other)
  --only <a,b>         run only these servers (names: node, express, fastify, hono, next, tandem)
  --suite <a,b>        run only these suites (files in suites/, default all)
  --tool <wrk|autocannon>  load generator (default wrk when installed, else autocannon)
  --out <file>         markdown output (default RESULTS.md, or RESULTS-quick.md with --quick)
  --help               print this help`;

function positive(name, text, integer) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function list(text) {
  return text
    ? text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;
}

export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      "cold-starts": { type: "string" },
      rounds: { type: "string" },
      only: { type: "string" },
      suite: { type: "string" },
      tool: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const quick = values.quick;
  if (values.tool && values.tool !== "wrk" && values.tool !== "autocannon") {
    throw new Error(`--tool must be wrk or autocannon, got ${JSON.stringify(values.tool)}`);
  }
  return {
    help: values.help,
    quick,
    duration: positive("duration", values.duration ?? (quick ? "3" : "10"), true),
    warmup: positive("warmup", values.warmup ?? (quick ? "1" : "5"), true),
    connections: positive("connections", values.connections ?? "50", true),
    coldStarts: positive("cold-starts", values["cold-starts"] ?? (quick ? "3" : "5"), true),
    rounds: positive("rounds", values.rounds ?? "1", true),
    only: list(values.only),
    suites: list(values.suite),
    tool: values.tool,
    out: values.out ?? (quick ? "RESULTS-quick.md" : "RESULTS.md"),
  };
}
