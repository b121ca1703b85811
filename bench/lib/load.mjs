import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const WRK_SCRIPT = fileURLToPath(new URL("./wrk.lua", import.meta.url));
const LOAD_CORE = 1;

function hasWrk() {
  try {
    execFileSync("wrk", ["-v"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk -v prints its banner and exits 1; only a missing binary is ENOENT
    return error.code !== "ENOENT";
  }
}

async function wrk(pinning, { url, method, headers, body, connections, seconds }) {
  const [cmd, args] = pinning.command(LOAD_CORE, "wrk", [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--timeout",
    "5s",
    "-s",
    WRK_SCRIPT,
    url,
  ]);
  const env = {
    ...process.env,
    BENCH_METHOD: method,
    BENCH_BODY: body ?? "",
    BENCH_HEADERS: Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join("\n"),
  };
  const { stdout } = await run(cmd, args, { env, timeout: (seconds + 30) * 1000 });
  const line = stdout.split("\n").find((text) => text.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length));
  return {
    requestsPerSec: r.requests / (r.durationUs / 1e6),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    // wrk counts a non-2xx/3xx answer under "status"
    errors: r.connect + r.read + r.write + r.timeout,
    non2xx: r.status,
    requests: r.requests,
  };
}

async function autocannon(pinning, { url, method, headers, body, connections, seconds }) {
  const bin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
  const args = [bin, "-j", "-c", String(connections), "-d", String(seconds), "-m", method];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}=${value}`);
  if (body) args.push("-b", body);
  args.push(url);
  const [cmd, pinnedArgs] = pinning.command(LOAD_CORE, process.execPath, args);
  const { stdout } = await run(cmd, pinnedArgs, { timeout: (seconds + 30) * 1000, maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout);
  return {
    requestsPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  };
}

/** The load generator, chosen once per run: wrk when installed, autocannon (an npm dependency) otherwise. */
export function createLoad(pinning, tool) {
  const name = tool ?? (hasWrk() ? "wrk" : "autocannon");
  if (name === "wrk" && !hasWrk()) throw new Error("--tool wrk given but wrk is not installed (apt-get install -y wrk)");
  const drive = name === "wrk" ? wrk : autocannon;
  return { name, drive: (request) => drive(pinning, request) };
}
