import type { StandardJSONSchemaV1 } from "@standard-schema/spec";
import type { Schema } from "./types.js";
import { TandemError } from "../errors/http-error.js";
import { requirePackages } from "../optional/require-package.js";

export type JsonSchema = Record<string, unknown>;
export type Side = "input" | "output";

/**
 * JSON Schema for a Standard Schema, or undefined when its library cannot express it.
 * Standard JSON Schema (`~standard.jsonSchema`, zod >= 4.2, arktype >= 2.1.28) comes first; valibot
 * needs its separate converter, loaded only when a valibot schema is met. Things JSON Schema cannot
 * say (transforms, File instances, refinements) become `{}` instead of failing the whole document.
 */
export async function toJsonSchema(schema: Schema, side: Side): Promise<JsonSchema | undefined> {
  const props = schema["~standard"] as Schema["~standard"] & Partial<StandardJSONSchemaV1.Props>;
  try {
    if (props.jsonSchema) {
      return clean(props.jsonSchema[side]({ target: "draft-2020-12", libraryOptions: { unrepresentable: "any" } }));
    }
    if (props.vendor === "valibot") {
      // An optional peer (an API-only app with zod installs no valibot): missing, it stops the
      // OpenAPI document with the install command, never a document without the schemas.
      requirePackages(["@valibot/to-json-schema"], "OpenAPI for valibot schemas");
      const { toJsonSchema: fromValibot } = await import("@valibot/to-json-schema");
      return clean(fromValibot(schema as never, { target: "draft-2020-12", errorMode: "ignore", typeMode: side }) as JsonSchema);
    }
  } catch (error) {
    if (error instanceof TandemError && error.code === "TND_ERR_MISSING_PACKAGE") throw error;
    return undefined;
  }
  return undefined;
}

/** `$schema` is implied by OpenAPI 3.1's dialect; repeating it in every operation is noise. */
function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** Field schemas of an object schema (for query/header/path parameters). */
export function objectFields(schema: JsonSchema | undefined): Array<{ name: string; schema: JsonSchema; required: boolean }> {
  const properties = schema?.properties;
  if (!properties || typeof properties !== "object") return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties as Record<string, JsonSchema>).map(([name, field]) => ({
    name,
    schema: field,
    required: required.has(name),
  }));
}
