import { defineErrors } from "./define.js";

export const coreErrors = defineErrors({
  TND_ERR_NOT_FOUND: { status: 404, description: "No route, page or public file matches the request path." },
  TND_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    description: "The route exists but does not export a handler for this HTTP method; the Allow header lists those it does.",
  },
  TND_ERR_INTERNAL: {
    status: 500,
    description:
      "A handler threw an unexpected error; production responses carry only a request id, the full error is logged under that id.",
  },
  TND_ERR_NO_APP_DIR: {
    status: 500,
    description: "The project has no app/ (or src/app/) folder; create one with route.ts or page.tsx files.",
  },
  TND_ERR_NO_BUILD: { status: 500, description: "`tandem start` found no build output; run `tandem build` first." },
  TND_ERR_CLI_USAGE: {
    status: 500,
    description:
      "A `tandem` command got an unknown flag, an unexpected argument or a bad value (such as --port 70000); the command prints one line with the fix and exits 2.",
  },
  TND_ERR_INVALID_CONFIG: {
    status: 500,
    description: "tandem.config.ts exported something that is not a valid configuration; the message names the field.",
  },
  TND_ERR_TESTING_COMMAND: {
    status: 500,
    description:
      "tandem/testing could not build or start the app under test (`tandem build`, `tandem start` or `tandem dev` failed or printed no URL); the message holds the command's output.",
  },
  TND_ERR_INVALID_ROUTE_MODULE: {
    status: 500,
    description: "A route.ts exports something under an HTTP method name that is not a function.",
  },
  TND_ERR_MATCHER_INVALID: {
    status: 500,
    description:
      "The middleware `config.matcher` is not a valid Next.js matcher (a path starting with '/', an array of them, or { source, has, missing, locale } objects); the message names the bad value.",
  },
  TND_ERR_MIDDLEWARE_EXPORT: {
    status: 500,
    description:
      "middleware.ts/proxy.ts must export one function as `default`, `middleware` or `proxy`; the message lists what the file exports.",
  },
  TND_ERR_MIDDLEWARE_RESULT: {
    status: 500,
    description: "Middleware returned something other than a Response or nothing; return NextResponse.next(), a Response, or undefined.",
  },
  TND_ERR_MIDDLEWARE_REWRITE: {
    status: 500,
    description:
      "Middleware rewrote to another origin or to an invalid URL; rewrites only serve paths of the same app, Tandem never proxies to other hosts.",
  },
  TND_ERR_ROUTE_MIDDLEWARE_RESPONSE: {
    status: 500,
    description:
      "A route handler returned NextResponse.next() or NextResponse.rewrite(), which only middleware may return; return a Response such as NextResponse.json() (Next.js fails these requests too).",
  },
  TND_ERR_MIDDLEWARE_UNSUPPORTED: {
    status: 500,
    description: "Middleware used a Next.js feature Tandem does not provide (passThroughOnException, event.request); the message names it.",
  },
  TND_ERR_REDIRECT: {
    status: 307,
    description: "Not a failure: redirect() or permanentRedirect() ended the request with a redirect to the Location it carries.",
  },
  TND_ERR_REDIRECT_INVALID: {
    status: 500,
    description: "A redirect was given an empty or unparsable URL or a status other than 301, 302, 303, 307 or 308.",
  },
  TND_ERR_MISSING_PACKAGE: {
    status: 500,
    description:
      "A feature the app uses needs an optional package that is not installed (better-sqlite3 for jobs on Node 20, where node:sqlite is missing; bullmq and ioredis with REDIS_URL, swagger-ui-dist for /reference, sharp for next/image's /_tandem/image, sass for `.scss` files, a plugin postcss.config names, @valibot/to-json-schema for valibot schemas in OpenAPI); the message names the npm install command.",
  },
  TND_ERR_INVALID_ENV: {
    status: 500,
    description:
      "defineEnv() found environment variables missing or invalid for its schema at startup; the message names each one and what was wrong.",
  },
  TND_ERR_HTTP_ERROR_STATUS: {
    status: 500,
    description:
      "new HttpError(status, code, message) was given a status outside 400-599 (use a client 4xx or server 5xx status), or new HttpError(code, message) a code that is not one of Tandem's TND_ERR_* codes, which has no status of its own (put the status first).",
  },
  TND_ERR_FORBIDDEN: {
    status: 403,
    description: "Not a failure of the app: forbidden() (next/navigation) ended the request with 403.",
  },
  TND_ERR_UNAUTHORIZED: {
    status: 401,
    description: "Not a failure of the app: unauthorized() (next/navigation) ended the request with 401.",
  },
  TND_ERR_NEXT_UNSUPPORTED: {
    status: 500,
    description:
      "The app (or a package it uses) imports a next/* module or export that Tandem does not provide; the build stops and names the module, the export and the importing file. docs/migrating-from-next.md lists what is provided.",
  },
  TND_ERR_METHOD_UNKNOWN: {
    status: 400,
    description:
      "A request to a route handler used a method outside GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS (such as PROPFIND); Next.js answers 400 too.",
  },
  TND_ERR_METRICS_UNPROTECTED: {
    status: 500,
    description:
      "metrics: true in tandem.config.ts, but no middleware matches /_tandem/metrics in production; add the path to the middleware's matcher or pass metrics: { authorize }.",
  },
  TND_ERR_NO_REQUEST_ID: {
    status: 500,
    description:
      "requestId() was called without a request outside any request, Server Action, socket handler or job a request enqueued (a script, a cron job, module top level); pass the request.",
  },
  TND_ERR_INSTRUMENTATION: {
    status: 500,
    description:
      "The app's instrumentation.ts register() threw while the server started; the server does not start without the instrumentation it asked for. The cause is attached.",
  },
  TND_ERR_NEXT_CONFIG: {
    status: 500,
    description:
      "next.config.js|mjs|ts could not be loaded or holds an invalid value for a key Tandem reads (redirects, rewrites, headers, basePath, trailingSlash, env, images, serverExternalPackages); the message names the key and the entry.",
  },
  TND_ERR_REWRITE_PROXY: {
    status: 502,
    description:
      "A next.config rewrite to another origin (a proxy) got no answer: 502 when the origin refused the connection or failed, 504 when it took longer than 30 seconds to answer.",
  },
  TND_ERR_SEGMENT_CONFIG: {
    status: 500,
    description:
      "A page or route.ts exports a route segment config value Next.js does not allow (runtime, dynamic, revalidate, dynamicParams, fetchCache, maxDuration); the message names the route and the export. `tandem build` and `tandem start` stop on it.",
  },
});
