import { readFileSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { type Options, parseOptions, USAGE, UsageError } from "./args.js";
import { install, packageManager } from "./install.js";
import { ask } from "./prompt.js";
import { folderProblem, packageNameProblem, scaffold } from "./scaffold.js";
import { findTemplate, TEMPLATES } from "./templates.js";

const VERSION: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

/** `npm create tandem [dir] -- [options]`: exit 0 on success, 1 when something failed, 2 for bad usage. */
export async function main(argv: string[]): Promise<void> {
  try {
    process.exitCode = await create(parseOptions(argv));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`create-tandem: ${error.message}\n`);
    process.exitCode = 2;
  }
}

async function create(options: Options): Promise<number> {
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // A pipe or CI has no one to answer: take the defaults instead of waiting forever.
  const interactive = !options.yes && process.stdin.isTTY === true;
  let dir = options.dir;
  let template = options.template === undefined ? undefined : findTemplate(options.template);
  if (interactive && (dir === undefined || template === undefined)) {
    const answers = await ask({ dir: dir === undefined, template: template === undefined });
    dir ??= answers.dir;
    template ??= answers.template;
  }
  dir ??= "my-tandem-app";
  template ??= TEMPLATES[0]!;
  const name = basename(resolve(dir));
  const nameProblem = packageNameProblem(name);
  if (nameProblem) throw new UsageError(`"${name}" cannot be a package name: ${nameProblem}`);
  const problem = await folderProblem(resolve(dir));
  if (problem) {
    process.stderr.write(`create-tandem: ${problem}\n`);
    return 1;
  }

  const fromHere = relative(process.cwd(), resolve(dir));
  const shown = fromHere === "" ? "." : fromHere.startsWith("..") ? resolve(dir) : fromHere;
  process.stdout.write(`Creating ${name} (template ${template.name}) in ${shown}\n`);
  await scaffold({ dir, template, tandem: options.tandem ?? `^${VERSION}` });
  const pm = packageManager();
  const run = (script: string) =>
    pm !== "npm" ? `${pm} ${script}` : script === "test" || script === "start" ? `npm ${script}` : `npm run ${script}`;
  if (options.install) {
    process.stdout.write(`Installing dependencies with ${pm}...\n`);
    const code = await install(resolve(dir), pm);
    if (code !== 0) {
      process.stderr.write(`create-tandem: ${pm} install failed (exit ${code}); the files are written, run it in ${shown}\n`);
      return 1;
    }
  }
  const steps = [`cd ${shown}`, ...(options.install ? [] : [`${pm} install`]), run("dev")];
  process.stdout.write(
    `\nDone. Next:\n${steps.map((step) => `  ${step}`).join("\n")}\nthen open http://localhost:3000. ` +
      `${run("test")} runs the app's tests, ${run("build")} && ${run("start")} serves it in production.\n`,
  );
  return 0;
}
