// `"types": ["tandem/env"]` in an app's tsconfig: what the build provides beyond Tandem's own
// exports. Code written for Next.js imports `next/*` modules, which the build points at Tandem's
// implementations, so it type-checks against the same modules.
declare module "next/server" {
  export * from "tandem/next-server";
}
declare module "next/headers" {
  export * from "tandem/next-headers";
}
declare module "next/navigation" {
  export * from "tandem/next-navigation";
}
declare module "next/cache" {
  export * from "tandem/next-cache";
}
declare module "next/link" {
  export { default } from "tandem/next-link";
  export * from "tandem/next-link";
}
declare module "next/script" {
  export { default } from "tandem/next-script";
  export * from "tandem/next-script";
}
declare module "next/dynamic" {
  export { default } from "tandem/next-dynamic";
  export * from "tandem/next-dynamic";
}
