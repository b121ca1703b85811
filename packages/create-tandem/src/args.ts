import { parseArgs } from "node:util";
import { TEMPLATES } from "./templates.js";

export interface Options {
  dir: string | undefined;
  template: string | undefined;
  yes: boolean;
  install: boolean;
  /** The dependency spec written for tandem: a version range, a tag, or a path to a local build. */
  tandem: string | undefined;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: npm create tandem@latest [dir] -- [options]
       create-tandem [dir] [options]

Writes a new Tandem app into dir (asked for when absent) and installs its dependencies.

Options:
  -t, --template <name>  ${TEMPLATES.map((t) => t.name).join(" | ")} (asked for when absent; minimal with --yes)
${TEMPLATES.map((t) => `                           ${t.name.padEnd(8)} ${t.summary}`).join("\n")}
  -y, --yes              ask nothing: take the defaults for what no flag gives
      --no-install       write the files only, without running npm install
      --tandem <spec>    the tandem dependency to write (default: the matching release),
                         e.g. "latest" or "file:../tandem-0.1.0.tgz"
  -h, --help             print this help
  -v, --version          print the version

Without a terminal on stdin nothing is asked either.`;

/** A mistake on the command line: one line saying how to fix it, exit code 2. */
export class UsageError extends Error {}

export function parseOptions(argv: string[]): Options {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${message.replace(/\.$/, "")}; see create-tandem --help`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`one project folder expected, got ${positionals.length} (${positionals.join(", ")}); quote a name with spaces`);
  }
  const template = values.template;
  if (template !== undefined && !TEMPLATES.some((t) => t.name === template)) {
    throw new UsageError(`unknown template "${template}"; use --template ${TEMPLATES.map((t) => t.name).join(", --template ")}`);
  }
  if (values.tandem === "") throw new UsageError("--tandem needs a version or path, e.g. --tandem latest");
  return {
    dir: positionals[0],
    template,
    yes: values.yes === true,
    install: values["no-install"] !== true,
    tandem: values.tandem,
    help: values.help === true,
    version: values.version === true,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: "string", short: "t" },
      yes: { type: "boolean", short: "y" },
      "no-install": { type: "boolean" },
      tandem: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}
