import { defineErrors } from "./define.js";

export const apiErrors = defineErrors({
  TND_ERR_VALIDATION: {
    status: 400,
    description:
      "The request's params, query, headers or body did not match the route's schema; `error.issues` lists each failing location, path and message.",
  },
  TND_ERR_API_FORBIDDEN_KEY: {
    status: 400,
    description:
      "The body, query or form data used a key such as `__proto__` or `constructor.prototype` that could poison object prototypes; rename the field.",
  },
  TND_ERR_API_BODY_UNREADABLE: {
    status: 400,
    description: "The request body could not be read or decoded (aborted upload, bad multipart boundary, invalid encoding).",
  },
  TND_ERR_API_MEDIA_TYPE: {
    status: 415,
    description: "The request's Content-Type is not one the handler accepts (see its `bodyType`); the response lists the accepted types.",
  },
  TND_ERR_API_BODY_TOO_LARGE: {
    status: 413,
    description: "The request body is larger than the handler's `bodyLimit` (default 1 MiB); send less or raise the limit.",
  },
  TND_ERR_API_TOO_MANY_FIELDS: {
    status: 413,
    description: "The query string or form body has more fields than the handler's `maxFields` (default 1000).",
  },
  TND_ERR_API_RESPONSE_INVALID: {
    status: 500,
    description:
      "The handler returned data that does not match its declared `response` schema; the issues are logged on the server, not sent to the client.",
  },
  TND_ERR_API_BAD_SPEC: {
    status: 500,
    description:
      "defineHandler was given something that is not a Standard Schema (zod 4, valibot, arktype...) or an invalid option; fix the route module.",
  },
  TND_ERR_CLIENT_PARAM: {
    status: 500,
    description: "The typed client was called without a value for a required path parameter, or with an empty one.",
  },
  TND_ERR_CLIENT_HTTP: {
    status: 500,
    description:
      "The typed client received an error status whose body is not Tandem's JSON error shape, or a JSON response it could not parse; `error.message` says which.",
  },
  TND_ERR_TYPEGEN: {
    status: 500,
    description: "Route type generation failed (unreadable app folder or unwritable output folder); the message names the path.",
  },
  TND_ERR_OPENAPI: {
    status: 500,
    description: "The OpenAPI document could not be built or served (invalid handler options or a missing viewer asset).",
  },
});
