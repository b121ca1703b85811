import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { TandemError } from "../errors/http-error.js";
import { COMMANDS } from "./commands.js";
import { loadEnvFile } from "./project.js";

export interface CommonArgs {
  root: string;
  port: number | undefined;
  host: string | undefined;
  values: Record<string, string | boolean | undefined>;
  rest: string[];
}

/** A command line the command cannot run: one line with the fix; `tandem` exits 2. */
export function usageError(command: string, problem: string): TandemError {
  return new TandemError("TND_ERR_CLI_USAGE", `${problem}; see tandem ${command} --help`);
}

/** The command's flags and positionals, checked against its entry in COMMANDS. */
export function parseCommand(command: string, argv: string[]): { values: CommonArgs["values"]; positionals: string[] } {
  const spec = COMMANDS[command]!;
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
  let parsed: { values: CommonArgs["values"]; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options }) as typeof parsed;
  } catch (error) {
    // node's messages go on about '--' for positionals that start with '-'; the first sentence is the point.
    const first = ((error as Error).message.split(/\.\s/)[0] ?? "").replace(/\.$/, "");
    throw usageError(command, first.charAt(0).toLowerCase() + first.slice(1));
  }
  if (parsed.positionals.length > spec.maxPositionals) {
    const extra = parsed.positionals.slice(spec.maxPositionals).map((p) => `"${p}"`);
    throw usageError(command, `unexpected argument ${extra.join(" ")} (tandem ${command} takes ${spec.args})`);
  }
  return parsed;
}

/** `[project dir] --port N --host H` plus the command's own flags. */
export function parseCommon(command: string, argv: string[]): CommonArgs {
  const { values, positionals } = parseCommand(command, argv);
  const root = resolve(positionals[0] ?? ".");
  loadEnvFile(root);
  const fromFlag = values.port as string | undefined;
  const rawPort = fromFlag ?? process.env.PORT;
  let port: number | undefined;
  if (rawPort !== undefined && rawPort !== "") {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535) {
      const what = fromFlag === undefined ? `PORT="${rawPort}"` : `invalid port "${rawPort}"`;
      throw usageError(command, `${what}: use an integer from 0 to 65535, e.g. --port 3000`);
    }
  }
  return {
    root,
    port,
    host: (values.host as string | undefined) ?? process.env.HOST,
    values,
    rest: positionals.slice(1),
  };
}
