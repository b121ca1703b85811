import { defineErrors } from "./define.js";

/** next/server's after(). */
export const afterErrors = defineErrors({
  TND_ERR_AFTER_OUTSIDE_REQUEST: {
    status: 500,
    description:
      "after() from next/server was called outside a request (at a module's top level, in a job or a socket event); call it in a route handler, Server Action, Server Component or middleware.",
  },
  TND_ERR_AFTER_INVALID: { status: 500, description: "after() was given something other than a function or a promise." },
});
