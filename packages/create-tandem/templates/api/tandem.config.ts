import { defineConfig } from "tandem/server";

export default defineConfig({
  // Served at /openapi.json, browsable at /reference; `tandem build` also writes .tandem/openapi.json.
  openapi: { title: "Todos API", version: "0.1.0" },
});
