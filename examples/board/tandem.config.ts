import { defineConfig } from "tandem/server";

export default defineConfig({
  // /_tandem/jobs in production too: middleware.ts lets only a signed-in user (or the token) in,
  // and `tandem start` refuses to run if no middleware guards it.
  jobs: { dashboard: true },
});
