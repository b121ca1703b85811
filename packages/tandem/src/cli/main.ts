import { TandemError } from "../errors/http-error.js";
import { COMMANDS, commandHelp } from "./commands.js";
import { nodeSupportWarning } from "./node-support.js";

type Module = { run(argv: string[]): Promise<number> };

// Each command is imported only when used, so `tandem start` never loads Vite.
const loaders: Record<string, () => Promise<Module>> = {
  dev: () => import("./dev.js"),
  build: () => import("./build.js"),
  start: () => import("./start.js"),
  routes: () => import("./routes.js"),
  typegen: () => import("./typegen-command.js"),
  worker: () => import("./worker-command.js"),
  jobs: () => import("./jobs-command.js"),
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `Usage: tandem <command> [project dir] [options]\n\nCommands:\n${rows.join("\n")}\n\n\`tandem <command> --help\` shows a command's options.\n`;
}

/** Help asked for anywhere before a `--`: it wins over everything else on the line. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
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
  const spec = COMMANDS[name];
  const load = loaders[name];
  if (spec === undefined || load === undefined) {
    process.stderr.write(`tandem: unknown command "${name}"; run tandem --help for the list (${Object.keys(COMMANDS).join(", ")})\n`);
    process.exitCode = 2;
    return;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(commandHelp(name, spec));
    return;
  }
  const warning = nodeSupportWarning();
  if (warning !== undefined) process.stderr.write(warning);
  try {
    const code = await (await load()).run(rest);
    if (code !== 0) process.exitCode = code;
  } catch (error) {
    // Expected failures (missing app/, port in use, no build) get one clear line, not a stack.
    if (error instanceof TandemError) process.stderr.write(`tandem ${name}: ${error.message}\n`);
    else process.stderr.write(`tandem ${name}: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = error instanceof TandemError && error.code === "TND_ERR_CLI_USAGE" ? 2 : 1;
  }
}
