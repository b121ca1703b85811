import { TandemError } from "../errors/http-error.js";

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

// Each command is imported only when used, so `tandem start` never loads Vite.
const commands: Record<string, Command> = {
  dev: { summary: "Start the development server (Vite, reload on change)", load: () => import("./dev.js") },
  build: { summary: "Build the app for production into .tandem/", load: () => import("./build.js") },
  start: { summary: "Serve a production build (--port, --host, --role)", load: () => import("./start.js") },
  routes: { summary: "Print the route table", load: () => import("./routes.js") },
  typegen: { summary: "Write route types to .tandem/types", load: () => import("./typegen-command.js") },
  worker: { summary: "Run background job workers only", load: () => import("./worker-command.js") },
  jobs: { summary: "List, retry or run jobs", load: () => import("./jobs-command.js") },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `Usage: tandem <command> [project dir] [options]\n\nCommands:\n${rows.join("\n")}\n`;
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return;
  }
  if (name === "--version" || name === "-v") {
    const pkg = await import("../../package.json", { with: { type: "json" } });
    process.stdout.write(`${pkg.default.version}\n`);
    return;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    process.exitCode = 1;
    return;
  }
  try {
    const code = await (await command.load()).run(rest);
    if (code !== 0) process.exitCode = code;
  } catch (error) {
    // Expected failures (missing app/, port in use, no build) get one clear line, not a stack.
    if (error instanceof TandemError) process.stderr.write(`tandem ${name}: ${error.message}\n`);
    else process.stderr.write(`tandem ${name}: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
