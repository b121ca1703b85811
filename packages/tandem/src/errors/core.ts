import { defineErrors } from "./define.js";

export const coreErrors = defineErrors({
  TND_ERR_NOT_FOUND: { status: 404, description: "No route, page or public file matches the request path." },
  TND_ERR_METHOD_NOT_ALLOWED: { status: 405, description: "The route exists but does not export a handler for this HTTP method; the Allow header lists those it does." },
  TND_ERR_INTERNAL: { status: 500, description: "A handler threw an unexpected error; production responses carry only a request id, the full error is logged under that id." },
  TND_ERR_NO_APP_DIR: { status: 500, description: "The project has no app/ (or src/app/) folder; create one with route.ts or page.tsx files." },
  TND_ERR_NO_BUILD: { status: 500, description: "`tandem start` found no build output; run `tandem build` first." },
  TND_ERR_INVALID_CONFIG: { status: 500, description: "tandem.config.ts exported something that is not a valid configuration; the message names the field." },
  TND_ERR_INVALID_ROUTE_MODULE: { status: 500, description: "A route.ts exports something under an HTTP method name that is not a function." },
});
