// `"types": ["tandem/env"]` in an app's tsconfig: what the build provides beyond Tandem's own
// exports. Code written for Next.js imports `next/server`, which the build aliases to Tandem's
// implementation, so it type-checks against the same module.
declare module "next/server" {
  export * from "tandem/next-server";
}
