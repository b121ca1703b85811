// Writes docs/errors.md from the error registry: `npx tsx scripts/errors-doc.ts`.
// test/errors/registry.test.ts fails when the file is out of date.
import { writeFileSync } from "node:fs";
import { renderErrorsDoc } from "../packages/tandem/test/errors/render.js";

writeFileSync(new URL("../docs/errors.md", import.meta.url), renderErrorsDoc());
