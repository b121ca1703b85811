import type { StandardSchemaV1 } from "@standard-schema/spec";
import { TandemError } from "../errors/http-error.js";
import type { SocketDefinition, SocketHooks } from "./types.js";

const HANDLERS = ["upgrade", "open", "message", "close", "error", "subscribe"] as const;

/**
 * Declares a socket route: `export default defineSocket({ ... })` in app/<path>/socket.ts.
 * Checked here, at import time, so a typo'd handler fails at startup instead of on the first message.
 */
export function defineSocket<TSchema extends StandardSchemaV1 | undefined = undefined, TData = Record<string, unknown>>(
  hooks: SocketHooks<TSchema, TData>,
): SocketDefinition<TSchema, TData> {
  if (typeof hooks !== "object" || hooks === null) {
    throw new TandemError("TND_ERR_REALTIME_DEFINITION", "defineSocket expects an object of handlers");
  }
  for (const name of HANDLERS) {
    const value = hooks[name];
    if (value !== undefined && typeof value !== "function") {
      throw new TandemError("TND_ERR_REALTIME_DEFINITION", `defineSocket: "${name}" must be a function, got ${typeof value}`);
    }
  }
  const schema = hooks.schema as { "~standard"?: { validate?: unknown } } | undefined;
  if (schema !== undefined && typeof schema?.["~standard"]?.validate !== "function") {
    throw new TandemError("TND_ERR_REALTIME_DEFINITION", "defineSocket: schema must be a Standard Schema (zod, valibot, arktype ...)");
  }
  return Object.freeze({ ...hooks, kind: "tandem.socket" as const });
}

export function isSocketDefinition(value: unknown): value is SocketDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "tandem.socket";
}
