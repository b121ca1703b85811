// Which media types are worth compressing. A short rule instead of a MIME database (mime-db is a
// 200 KB JSON file to parse at startup): text, JSON and XML in all their suffixed forms, and the
// few binary formats that are not compressed already. Images, audio, video, fonts in woff/woff2
// and archives are compressed by their own format; compressing them again costs CPU for nothing.
const OTHERS = new Set([
  "application/javascript",
  "application/ecmascript",
  "application/x-javascript",
  "application/json",
  "application/xml",
  "application/x-ndjson",
  "application/wasm",
  "application/x-www-form-urlencoded",
  "application/graphql",
  "application/toml",
  "application/yaml",
  "application/x-yaml",
  "application/rtf",
  "application/vnd.ms-fontobject",
  "image/svg+xml",
  "image/x-icon",
  "image/vnd.microsoft.icon",
  "image/bmp",
  "font/ttf",
  "font/otf",
  "font/collection",
]);

const seen = new Map<string, boolean>();

/** Whether a response with this Content-Type value should be compressed. */
export function isCompressible(contentType: string | null | undefined): boolean {
  if (contentType === null || contentType === undefined) return false;
  const cached = seen.get(contentType);
  if (cached !== undefined) return cached;
  const semi = contentType.indexOf(";");
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  const result = type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml") || OTHERS.has(type);
  // Content types come from the app's code, so they are few; the bound keeps a header echoed from
  // a client from growing the map.
  if (seen.size < 256) seen.set(contentType, result);
  return result;
}
