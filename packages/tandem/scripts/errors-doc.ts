// Writes docs/errors.md from the error registry; test/errors/registry.test.ts fails when they differ.
import { writeFileSync } from "node:fs";
import { renderErrorsDoc } from "../test/errors/render.js";

writeFileSync(new URL("../../../docs/errors.md", import.meta.url), renderErrorsDoc());
