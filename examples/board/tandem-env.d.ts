// Lets Next.js-style imports type-check; the build aliases `next/server` to Tandem's implementation.
declare module "next/server" {
  export * from "tandem/next-server";
}
