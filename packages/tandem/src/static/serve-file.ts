import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { negotiate, type Encoding } from "../compression/negotiate.js";
import { isNotModified, rangeStillValid } from "./conditional.js";
import { contentTypeFor } from "./content-type.js";
import { parseRange, type ByteRange } from "./range.js";

export interface StaticFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A file and the precompressed siblings the build wrote beside it (`.br`, `.gz`). */
export interface FileVariants {
  file: StaticFile;
  br?: StaticFile | undefined;
  gzip?: StaticFile | undefined;
}

export interface ServeFileOptions {
  /** A content-hashed name (build assets): a strong ETag and a year of `immutable` caching. */
  immutable: boolean;
  /** Precompressed codings to offer, in order of preference; empty: never. */
  encodings: readonly Encoding[];
}

const IMMUTABLE = "public, max-age=31536000, immutable";
// public/ names are not hashed: caches keep the file but ask again each time (as Next.js does).
const REVALIDATE = "public, max-age=0, must-revalidate";

function etagOf(file: StaticFile, strong: boolean, encoding?: Encoding): string {
  const tag = `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}${encoding === undefined ? "" : `-${encoding}`}"`;
  return strong ? tag : `W/${tag}`;
}

/**
 * The answer for a GET or HEAD of a static file, as send/serve-static give it: conditional
 * requests (304), a single byte range (206, or 416 when it lies outside the file), a
 * precompressed sibling for a client that accepts its coding, and caching headers.
 */
export function serveFile(request: Request, variants: FileVariants, options: ServeFileOptions): Response {
  const { file } = variants;
  const rangeHeader = request.method === "GET" ? request.headers.get("range") : null;
  // Ranges count bytes of the unencoded file, so a range request always gets that one.
  const offered =
    variants.br === undefined && variants.gzip === undefined ? [] : options.encodings.filter((e) => variants[e as "br"] !== undefined);
  const encoding =
    rangeHeader === null && offered.length > 0 ? negotiate(request.headers.get("accept-encoding") ?? undefined, offered) : undefined;
  const sent = encoding === undefined ? file : variants[encoding as "br" | "gzip"]!;
  // Tags of the unencoded file stay the same whether or not siblings exist; a sibling's tag names its coding.
  const etag = etagOf(sent, options.immutable, encoding);
  const lastModified = new Date(file.mtimeMs).toUTCString();
  const headers = new Headers({
    "content-type": contentTypeFor(file.path),
    etag,
    "last-modified": lastModified,
    "cache-control": options.immutable ? IMMUTABLE : REVALIDATE,
    "x-content-type-options": "nosniff",
  });
  if (offered.length > 0) headers.set("vary", "Accept-Encoding");
  if (encoding !== undefined) headers.set("content-encoding", encoding);
  else headers.set("accept-ranges", "bytes");
  if (isNotModified(request, etag, file.mtimeMs)) return new Response(null, { status: 304, headers });

  let range: ByteRange | "unsatisfiable" | undefined;
  if (rangeHeader !== null && rangeStillValid(request.headers.get("if-range"), etag, lastModified))
    range = parseRange(rangeHeader, file.size);
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${file.size}`);
    headers.set("content-type", "text/plain; charset=utf-8");
    return new Response("range not satisfiable", { status: 416, headers });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? sent.size - 1;
  headers.set("content-length", String(end - start + 1));
  if (range !== undefined) headers.set("content-range", `bytes ${start}-${end}/${file.size}`);
  const status = range === undefined ? 200 : 206;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  if (sent.size === 0) return new Response("", { status, headers });
  const body = Readable.toWeb(createReadStream(sent.path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
