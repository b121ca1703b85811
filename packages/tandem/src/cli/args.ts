import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { TandemError } from "../errors/http-error.js";

export interface CommonArgs {
  root: string;
  port: number | undefined;
  host: string | undefined;
  values: Record<string, string | boolean | undefined>;
  rest: string[];
}

/** `[project dir] --port N --host H` plus per-command flags. */
export function parseCommon(argv: string[], extra: Record<string, { type: "string" | "boolean" }> = {}): CommonArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: "string", short: "p" }, host: { type: "string", short: "H" }, ...extra },
  });
  const root = resolve(positionals[0] ?? ".");
  const rawPort = (values.port as string | undefined) ?? process.env.PORT;
  let port: number | undefined;
  if (rawPort !== undefined && rawPort !== "") {
    port = Number(rawPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new TandemError("TND_ERR_INVALID_CONFIG", `invalid port "${rawPort}": expected an integer from 0 to 65535`);
    }
  }
  return {
    root,
    port,
    host: (values.host as string | undefined) ?? process.env.HOST,
    values: values as CommonArgs["values"],
    rest: positionals.slice(1),
  };
}
