import { createInterface } from "node:readline/promises";
import { packageNameProblem } from "./scaffold.js";
import { findTemplate, type Template, TEMPLATES } from "./templates.js";

/** Asks what the flags left open, on the terminal; an empty answer takes the default. */
export async function ask(missing: { dir: boolean; template: boolean }): Promise<{ dir?: string; template?: Template }> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answers: { dir?: string; template?: Template } = {};
    while (missing.dir && answers.dir === undefined) {
      const dir = (await rl.question("Project name (my-tandem-app): ")).trim() || "my-tandem-app";
      const problem = packageNameProblem(dir.split(/[\\/]/).pop() ?? dir);
      if (problem) process.stdout.write(`  ${problem}\n`);
      else answers.dir = dir;
    }
    if (missing.template) {
      process.stdout.write(`Templates:\n${TEMPLATES.map((t, i) => `  ${i + 1}. ${t.name.padEnd(8)} ${t.summary}`).join("\n")}\n`);
      while (answers.template === undefined) {
        const answer = (await rl.question("Template (1-3 or a name, default minimal): ")).trim() || "minimal";
        answers.template = findTemplate(answer) ?? TEMPLATES[Number(answer) - 1];
        if (answers.template === undefined) process.stdout.write(`  no template "${answer}"\n`);
      }
    }
    return answers;
  } finally {
    rl.close();
  }
}
