import { readLimited } from "../app/read-limited.js";
import { HttpError } from "../errors/http-error.js";
import { bodySourceOf } from "../compat/next-request.js";
import { parseJson } from "../server/json.js";
import { isNodeRequest, takeArrivedText } from "../server/request.js";
import { entriesToObject } from "./fields.js";
import type { BodyType } from "./types.js";

export interface BodyLimits {
  bodyLimit: number;
  maxFields: number;
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
  if (contentType === null) return "";
  return contentType.split(";", 1)[0]!.trim().toLowerCase();
}

function accepts(bodyType: BodyType, type: string): boolean {
  if (bodyType === "json" && type.startsWith("application/") && type.endsWith("+json")) return true;
  return ACCEPTED[bodyType].includes(type);
}

function unreadable(error: unknown): HttpError {
  // The server's own limit/timeout errors already carry the right status.
  if (error instanceof HttpError) return error;
  return new HttpError("TND_ERR_API_BODY_UNREADABLE", "The request body could not be read", { cause: error });
}

/**
 * With a declared length the request's own reader is used (Tandem's server reads its buffer
 * directly, no stream in between); without one, bytes are counted as they arrive.
 */
function declaredLength(headers: Headers, limit: number): number | undefined {
  const declared = headers.get("content-length");
  if (declared === null) return undefined;
  const length = Number(declared);
  if (length > limit) throw tooLarge(limit);
  return length;
}

function rethrowUnreadable(error: unknown): never {
  throw unreadable(error);
}

/** The body as text, handed to `parse`; read errors become 400s, parse errors stay what they are. */
function readText<T>(request: Request, headers: Headers, limit: number, parse: (text: string) => T): Promise<T> {
  if (declaredLength(headers, limit) === undefined) return streamBytes(request, limit).then((bytes) => parse(decode(bytes)));
  return request.text().then(parse, rethrowUnreadable);
}

function readBytes(request: Request, headers: Headers, limit: number): Promise<Uint8Array> {
  if (declaredLength(headers, limit) === undefined) return streamBytes(request, limit);
  return request.arrayBuffer().then((buffer) => new Uint8Array(buffer), rethrowUnreadable);
}

/** Reads at most `limit` bytes from the stream, so a body without a length cannot grow unbounded. */
async function streamBytes(request: Request, limit: number): Promise<Uint8Array> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readLimited(request.body, limit);
  } catch (error) {
    throw unreadable(error);
  }
  if (bytes === undefined) throw tooLarge(limit);
  return bytes;
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

async function parseMultipart(bytes: Uint8Array, contentType: string, maxFields: number): Promise<unknown> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    throw new HttpError("TND_ERR_API_BODY_UNREADABLE", "The multipart body could not be parsed", { cause: error });
  }
  return entriesToObject(form.entries(), "body", maxFields);
}

const NOT_HERE: unique symbol = Symbol("not arrived");

/**
 * A JSON body of a server request that has all arrived: parsed now, without a promise. NOT_HERE
 * when it has to be waited for.
 */
function arrivedJson(request: Request): unknown {
  let text: string | undefined;
  try {
    text = takeArrivedText(request);
  } catch (error) {
    throw unreadable(error);
  }
  return text === undefined ? NOT_HERE : parseJson(text);
}

/**
 * What readBody returns for a server request's JSON body that is not here yet but usually is one
 * microtask later (node:http hands over the bytes that came with the headers only after the
 * handler started): the caller takes it then with `readArrivedBody`, in the same turn as its own
 * next step, instead of waiting on a promise of the parsed body.
 */
export const LATER: unique symbol = Symbol("body after one microtask");

/** The second try after LATER: the parsed body, or a promise when it is still on the wire. */
export function readArrivedBody(request: Request, limits: BodyLimits): unknown {
  const source = bodySourceOf(request);
  const arrived = arrivedJson(source);
  return arrived !== NOT_HERE ? arrived : readText(request, request.headers, limits.bodyLimit, parseJson);
}

/**
 * Returns the decoded body, or undefined for an empty body without a content type: the value
 * itself when the body is a JSON one that has all arrived (no promise, no turn), LATER (see
 * there), else a promise. A refused request throws before any byte is read, and a body that has
 * to be waited for costs one promise (the read) plus one `then` (the parse), not a chain of async
 * frames.
 */
export function readBody(request: Request, bodyType: BodyType, limits: BodyLimits): unknown {
  const headers = request.headers;
  const contentType = headers.get("content-type");
  // The type nearly every JSON client sends skips the media-type parsing below.
  if (contentType === "application/json" && bodyType === "json") {
    const limit = limits.bodyLimit;
    const source = bodySourceOf(request);
    // Without a declared length the bytes are counted as they come (readText).
    if (!isNodeRequest(source) || declaredLength(headers, limit) === undefined) return readText(request, headers, limit, parseJson);
    const arrived = arrivedJson(source);
    return arrived !== NOT_HERE ? arrived : LATER;
  }
  const type = mediaType(contentType);
  if (type === "") {
    return readBytes(request, headers, limits.bodyLimit).then((bytes) => {
      if (bytes.byteLength === 0) return undefined;
      throw unsupported(bodyType, type);
    });
  }
  if (!accepts(bodyType, type)) throw unsupported(bodyType, type);
  if (type === "multipart/form-data") {
    return readBytes(request, headers, limits.bodyLimit).then((bytes) => parseMultipart(bytes, contentType!, limits.maxFields));
  }
  if (type === "application/x-www-form-urlencoded") {
    return readText(request, headers, limits.bodyLimit, (text) =>
      entriesToObject(new URLSearchParams(text).entries(), "body", limits.maxFields),
    );
  }
  // The server's parser: the same proto-poisoning and depth checks as `request.json()` under
  // Tandem's server, and the same error codes whichever server runs the handler.
  return readText(request, headers, limits.bodyLimit, parseJson);
}

function unsupported(bodyType: BodyType, type: string): HttpError {
  const accepted = ACCEPTED[bodyType];
  return new HttpError(
    "TND_ERR_API_MEDIA_TYPE",
    `Content-Type ${type === "" ? "(none)" : `"${type}"`} is not accepted; send ${accepted.join(" or ")}`,
    { details: { accepted }, headers: { "accept-post": accepted.join(", ") } },
  );
}
