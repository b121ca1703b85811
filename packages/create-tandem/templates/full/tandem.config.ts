import { defineConfig } from "tandem/server";

export default defineConfig({
  // The dashboard at /_tandem/jobs in production too; the startup checks that middleware.ts guards it.
  jobs: { dashboard: true },
});
