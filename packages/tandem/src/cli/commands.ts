/** What each command accepts: the one table behind `--help`, flag checking and the usage line. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder shown in help for string options. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  summary: string;
  /** Arguments after the command name, as shown in help. */
  args: string;
  options: Record<string, OptionSpec>;
  /** Most positionals accepted (the project folder counts). */
  maxPositionals: number;
  /** Extra lines for `--help`. */
  more?: string;
}

const PORT: OptionSpec = { type: "string", short: "p", value: "n", help: "port to listen on (default 3000; PORT is read when absent)" };
const dir = "[project dir]";

export const COMMANDS: Record<string, CommandSpec> = {
  dev: {
    summary: "Start the development server (Vite, reload on change)",
    args: dir,
    maxPositionals: 1,
    options: {
      port: PORT,
      host: { type: "string", short: "H", value: "host", help: "interface to bind (default localhost; HOST is read when absent)" },
    },
  },
  build: { summary: "Build the app for production into .tandem/", args: dir, maxPositionals: 1, options: {} },
  start: {
    summary: "Serve a production build (--port, --host, --role)",
    args: dir,
    maxPositionals: 1,
    options: {
      port: PORT,
      host: { type: "string", short: "H", value: "host", help: "interface to bind (default 0.0.0.0; HOST is read when absent)" },
      role: { type: "string", value: "all|web|worker", help: "web server, job workers, or both (default all)" },
    },
  },
  routes: { summary: "Print the route table with each route's methods", args: dir, maxPositionals: 1, options: {} },
  typegen: {
    summary: "Write route types to .tandem/types",
    args: dir,
    maxPositionals: 1,
    options: { out: { type: "string", value: "dir", help: "folder for routes.d.ts, relative to the project (default .tandem/types)" } },
  },
  worker: {
    summary: "Run background job workers only",
    args: dir,
    maxPositionals: 1,
    options: {
      concurrency: { type: "string", value: "n", help: "jobs run at once (default 10)" },
      "shutdown-timeout": { type: "string", value: "ms", help: "how long running jobs may finish after SIGTERM (default 20000)" },
    },
  },
  jobs: {
    summary: "List, retry, cancel or run jobs",
    args: `${dir} list|retry <id>|cancel <id>|run <name> [json-payload]`,
    maxPositionals: 4,
    options: {
      state: { type: "string", value: "state", help: "list: only jobs in this state (waiting, active, completed, failed, ...)" },
      name: { type: "string", value: "job", help: "list: only jobs of this name" },
      limit: { type: "string", value: "n", help: "list: at most n jobs, 1 to 500 (default 50)" },
      json: { type: "boolean", help: "list: print JSON" },
      wait: { type: "boolean", help: "run: wait for the job and print its progress" },
    },
  },
};

export function commandHelp(name: string, spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, help: { type: "boolean", short: "h", help: "print this help" } as OptionSpec }).map(
    ([option, o]) => {
      const flag = `${o.short ? `-${o.short}, ` : "    "}--${option}${o.type === "string" ? ` <${o.value ?? "value"}>` : ""}`;
      return `  ${flag.padEnd(28)} ${o.help}`;
    },
  );
  return `Usage: tandem ${name} ${spec.args}${Object.keys(spec.options).length ? " [options]" : ""}\n\n${spec.summary}.\n\nOptions:\n${rows.join("\n")}\n${spec.more ?? ""}`;
}
