import sjson from "secure-json-parse";
import { HttpError } from "../errors/http-error.js";
import { entriesToObject, forbiddenKey } from "./fields.js";
import type { BodyType } from "./types.js";

export interface BodyLimits {
  bodyLimit: number;
  maxFields: number;
  maxDepth: number;
}

const ACCEPTED: Record<BodyType, string[]> = {
  json: ["application/json"],
  form: ["application/x-www-form-urlencoded", "multipart/form-data"],
  multipart: ["multipart/form-data"],
};

export function acceptedTypes(bodyType: BodyType): string[] {
  return ACCEPTED[bodyType];
}

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

function accepts(bodyType: BodyType, type: string): boolean {
  if (bodyType === "json" && type.startsWith("application/") && type.endsWith("+json")) return true;
  return ACCEPTED[bodyType].includes(type);
}

/** Reads at most `limit` bytes; the declared length is checked first so big uploads are refused unread. */
async function readBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    // The server's own limit/timeout errors already carry the right status.
    if (error instanceof HttpError) throw error;
    throw new HttpError("TND_ERR_API_BODY_UNREADABLE", "The request body could not be read", { cause: error });
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(limit: number): HttpError {
  return new HttpError("TND_ERR_API_BODY_TOO_LARGE", `The request body is larger than ${limit} bytes`, {
    details: { limit },
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new HttpError("TND_ERR_API_BODY_UNREADABLE", "The request body is not valid UTF-8", { cause: error });
  }
}

function parseJson(text: string, maxDepth: number): unknown {
  if (text.trim() === "") throw new HttpError("TND_ERR_API_MALFORMED_JSON", "The JSON body is empty");
  let value: unknown;
  try {
    value = sjson.parse(text, null, { protoAction: "error", constructorAction: "error" });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes("forbidden prototype property")) throw forbiddenKey("body", "__proto__ / constructor.prototype");
    throw new HttpError("TND_ERR_API_MALFORMED_JSON", `The body is not valid JSON: ${message}`, { cause: error });
  }
  // Each nesting level costs at least two characters, so short bodies cannot be too deep.
  if (text.length > maxDepth * 2) checkDepth(value, maxDepth);
  return value;
}

/** Iterative, so a hostile document cannot overflow the stack here (schemas recurse later). */
function checkDepth(root: unknown, maxDepth: number): void {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth >= maxDepth) {
      throw new HttpError("TND_ERR_API_JSON_TOO_DEEP", `The JSON body is nested deeper than ${maxDepth} levels`, {
        details: { limit: maxDepth },
      });
    }
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
}

async function parseMultipart(bytes: Uint8Array, contentType: string, maxFields: number): Promise<unknown> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    throw new HttpError("TND_ERR_API_BODY_UNREADABLE", "The multipart body could not be parsed", { cause: error });
  }
  return entriesToObject(form.entries(), "body", maxFields);
}

/** Returns the decoded body, or undefined for an empty body without a content type. */
export async function readBody(request: Request, bodyType: BodyType, limits: BodyLimits): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  const type = mediaType(contentType);
  if (type === "") {
    const bytes = await readBytes(request, limits.bodyLimit);
    if (bytes.byteLength === 0) return undefined;
  }
  if (!accepts(bodyType, type)) {
    const accepted = ACCEPTED[bodyType];
    throw new HttpError(
      "TND_ERR_API_MEDIA_TYPE",
      `Content-Type ${type === "" ? "(none)" : `"${type}"`} is not accepted; send ${accepted.join(" or ")}`,
      { details: { accepted }, headers: { "accept-post": accepted.join(", ") } },
    );
  }
  const bytes = await readBytes(request, limits.bodyLimit);
  if (type === "multipart/form-data") return parseMultipart(bytes, contentType!, limits.maxFields);
  const text = decode(bytes);
  if (type === "application/x-www-form-urlencoded") {
    return entriesToObject(new URLSearchParams(text).entries(), "body", limits.maxFields);
  }
  return parseJson(text, limits.maxDepth);
}
