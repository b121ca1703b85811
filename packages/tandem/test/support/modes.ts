// Every behaviour in every mode: the same tests against the built app's fetch handler in memory,
// `tandem build` + `tandem start`, and `tandem dev`, through the package's own tandem/testing.
import { after, before, describe } from "node:test";
import { createTestApp, type TestApp, type TestMode } from "tandem/testing";

export const MODES: readonly TestMode[] = ["memory", "start", "dev"];

/**
 * Registers `body` once per mode. `app()` is the running app inside tests. The project is built
 * once, by the memory suite, and `tandem start` reuses that build.
 */
export function describeModes(
  name: string,
  root: string,
  body: (app: () => TestApp, mode: TestMode) => void,
  options: { modes?: readonly TestMode[]; env?: Record<string, string> } = {},
): void {
  let built = false;
  for (const mode of options.modes ?? MODES) {
    describe(`${name} (${mode})`, () => {
      let app: TestApp | undefined;
      before(async () => {
        const build = mode !== "dev" && !built;
        app = await createTestApp(root, { mode, build, ...(options.env ? { env: options.env } : {}) });
        if (build) built = true;
      });
      after(() => app?.close());
      body(() => {
        if (app === undefined) throw new Error(`the ${mode} app did not start`);
        return app;
      }, mode);
    });
  }
}
