// Types of the virtual module tandemPages() serves to the server bundle (see vite.ts).
declare module "virtual:tandem/pages-runtime" {
  type PageTarget = import("./render.js").PageTarget;
  type AppManifest = import("../app/types.js").AppManifest;
  export const renderPage: (request: Request, target: PageTarget) => Promise<Response>;
  export const renderNotFoundPage: (request: Request, manifest: AppManifest, options?: { dev?: boolean }) => Promise<Response>;
  export const runWithRequestContext: typeof import("./request-context.js").runWithRequestContext;
  export const cookies: typeof import("./request-context.js").cookies;
  export const headers: typeof import("./request-context.js").headers;
  export const metadataRoute: typeof import("./metadata-routes.js").metadataRoute;
  export const currentRequest: typeof import("./request-context.js").currentRequest;
}
