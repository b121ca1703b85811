import { defineErrors } from "./define.js";

export const routerErrors = defineErrors({
  TND_ERR_BAD_PATH: {
    status: 400,
    description:
      "The request path is malformed (invalid percent-encoding such as `%zz`, a `.` or `..` segment, or not starting with '/'); fix the URL.",
  },
  TND_ERR_ROUTE_PATTERN_INVALID: {
    status: 500,
    description:
      "A route folder or pattern has an invalid segment (`[]`, `[...]`, `[a-b`, `[[id]]`, a catch-all that is not last, a repeated parameter name); the message names the file or pattern.",
  },
  TND_ERR_ROUTE_CONFLICT: {
    status: 500,
    description:
      "Two files serve the same URL, or sibling dynamic segments use different names, or an optional catch-all sits beside a route for its parent URL; the message names both files.",
  },
  TND_ERR_ROUTE_FILE_CONFLICT: {
    status: 500,
    description:
      "One folder holds the same convention twice (route.ts and route.js), or both middleware and proxy exist; keep one of the two files the message names.",
  },
  TND_ERR_ROUTE_UNSUPPORTED: {
    status: 500,
    description:
      "The app/ folder uses a Next.js routing feature Tandem does not support (parallel routes `@slot`, intercepting routes `(.)`, nested sitemap.ts, symlink cycles); the message names the folder.",
  },
  TND_ERR_APP_DIR_AMBIGUOUS: {
    status: 500,
    description: "Both app/ and src/app/ exist in the project root; delete or rename one so the routes come from one place.",
  },
  TND_ERR_ROUTER_OPTION_INVALID: {
    status: 500,
    description: "A router option is out of range (maxParamLength must be a positive integer).",
  },
});
