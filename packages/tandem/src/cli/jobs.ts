import { parseArgs } from "node:util";
import { JOB_STATES, type JobRecord, type JobState } from "../jobs/types.js";
import type { JobsCliContext } from "./worker.js";

/** A command line that cannot run: one line, exit 2. */
function usage(problem: string): number {
  console.error(`tandem jobs: ${problem}; see tandem jobs --help`);
  return 2;
}

function row(job: JobRecord): string {
  const error = job.error ? `  ${job.error.message.split("\n")[0]}` : "";
  return `${job.id}  ${job.name}  ${job.state}  ${job.attemptsMade}/${job.maxAttempts}  ${new Date(job.createdAt).toISOString()}${error}`;
}

/** `tandem jobs`: list, retry, cancel, and enqueue a job by name (optionally waiting for it). */
export async function run(argv: string[], ctx: JobsCliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: {
      state: { type: "string" },
      name: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean" },
      wait: { type: "boolean" },
    },
  });
  // The CLI may pass the command name itself first.
  const args = positionals[0] === "jobs" ? positionals.slice(1) : positionals;
  const [command, ...rest] = args;
  const { createJobsScope } = await import("../runtime/jobs.js");
  const build = await ctx.loadBuild();
  const { scope, context } = createJobsScope(ctx.jobs, console);
  context.register(build.jobs);
  try {
    const driver = await context.driver();
    if (command === "list") {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) return usage("--limit must be an integer from 1 to 500");
      if (typeof values.state === "string" && !JOB_STATES.includes(values.state as JobState)) {
        return usage(`--state must be one of ${JOB_STATES.join(", ")}`);
      }
      const list = await driver.list({
        ...(typeof values.state === "string" ? { state: values.state as JobState } : {}),
        ...(typeof values.name === "string" ? { name: values.name } : {}),
        limit,
      });
      if (values.json) console.log(JSON.stringify({ counts: await driver.counts(), jobs: list }, null, 2));
      else {
        for (const [name, counts] of Object.entries(await driver.counts())) {
          console.log(
            `${name}: ${Object.entries(counts)
              .map(([state, n]) => `${state} ${n}`)
              .join(", ")}`,
          );
        }
        for (const job of list) console.log(row(job));
      }
      return 0;
    }
    if ((command === "retry" || command === "cancel") && rest[0]) {
      const job = await driver.get(rest[0]);
      if (!job) {
        console.error(`tandem jobs: no job with id ${rest[0]}`);
        return 1;
      }
      const ok = command === "retry" ? await driver.retry(job.id, job.name) : await driver.cancel(job.id, job.name);
      console.log(ok ? `${command === "retry" ? "retried" : "cancelled"} ${job.id}` : `nothing to do: job ${job.id} is ${job.state}`);
      return ok ? 0 : 1;
    }
    if (command === "run" && rest[0]) {
      const definition = context.find(rest[0]);
      if (!definition) {
        console.error(`tandem jobs: no job named "${rest[0]}" (have: ${Object.keys(build.jobs).join(", ") || "none"})`);
        return 1;
      }
      let payload: unknown = {};
      if (rest[1] !== undefined) {
        try {
          payload = JSON.parse(rest[1]);
        } catch {
          console.error("tandem jobs: the payload must be JSON, e.g. '{\"boardId\":1}'");
          return 2;
        }
      }
      const { id } = await scope.run(() => definition.enqueue(payload as never));
      console.log(`enqueued ${rest[0]} ${id}`);
      if (!values.wait) return 0;
      let last = "";
      for (;;) {
        const job = await driver.get(id);
        const line = job ? `${job.state} ${job.progress}%${job.progressMessage ? ` ${job.progressMessage}` : ""}` : "gone";
        if (line !== last) console.log(line);
        last = line;
        if (!job || job.state === "completed") return job ? 0 : 1;
        if (job.state === "failed" || job.state === "cancelled") {
          console.error(job.error?.message ?? job.state);
          return 1;
        }
        await new Promise((done) => setTimeout(done, 250));
      }
    }
    if (command === "retry" || command === "cancel") return usage(`${command} needs a job id: tandem jobs ${command} <id>`);
    if (command === "run") return usage("run needs a job name: tandem jobs run <name> [json-payload]");
    return usage(
      `${command === undefined ? "no subcommand" : `unknown subcommand "${command}"`}: use list, retry <id>, cancel <id> or run <name>`,
    );
  } catch (error) {
    const details = (error as { details?: { issues?: unknown } }).details;
    console.error(`tandem jobs: ${(error as Error).message}${details?.issues ? `\n${JSON.stringify(details.issues, null, 2)}` : ""}`);
    return 1;
  } finally {
    await scope.close();
  }
}
