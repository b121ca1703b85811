import { readLimited } from "../app/read-limited.js";
import { HttpError } from "../errors/http-error.js";
import type { ActionOptions } from "./types.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const ACTION_ID = /^[^#\s]{1,400}#[A-Za-z_$][\w$]{0,200}$/;

/**
 * CSRF: browsers send Origin on every POST (Chrome, Safari, Firefox 70+), and Sec-Fetch-Site
 * besides. Without Origin, only `Sec-Fetch-Site: same-origin` vouches for the request; with
 * neither header nothing tells a forged request from a real one, so it is refused unless the app
 * opts in with allowMissingOrigin (docs/decisions/0007-actions-need-an-origin.md).
 */
export function checkOrigin(request: Request, options: ActionOptions): void {
  if (request.method !== "POST") {
    throw new HttpError("TND_ERR_ACTION_METHOD_NOT_ALLOWED", "Server Actions can only be called with POST.", {
      headers: { allow: "POST" },
    });
  }
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    if (site === "same-origin") return;
    if (site === "cross-site" || site === "same-site") {
      throw new HttpError(
        "TND_ERR_ACTION_CROSS_SITE",
        `Server Action request from another ${site === "same-site" ? "origin" : "site"} without an Origin header refused.`,
      );
    }
    if (options.allowMissingOrigin === true) return;
    throw new HttpError(
      "TND_ERR_ACTION_NO_ORIGIN",
      "Server Action request without an Origin header refused: send `Origin: <this app's origin>`, or set actions.allowMissingOrigin.",
    );
  }
  const own = new URL(request.url).origin;
  if (origin === own || (options.allowedOrigins ?? []).includes(origin)) return;
  throw new HttpError(
    "TND_ERR_ACTION_FORBIDDEN_ORIGIN",
    `Origin ${JSON.stringify(origin.slice(0, 200))} may not call Server Actions of this app.`,
  );
}

export function isValidActionId(id: string): boolean {
  return ACTION_ID.test(id);
}

/** Reads the whole body, refusing as soon as it passes `limit` bytes (Content-Length or streamed). */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = (): HttpError => new HttpError("TND_ERR_ACTION_TOO_LARGE", `Server Action request body is larger than ${limit} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  const body = await readLimited(request.body, limit);
  if (body === undefined) throw tooLarge();
  return body;
}

export type ParsedBody = { kind: "text"; text: string } | { kind: "form"; form: FormData };

export async function parseBody(bytes: Uint8Array<ArrayBuffer>, contentType: string | null): Promise<ParsedBody> {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
    try {
      const form = await new Response(bytes, { headers: { "content-type": contentType! } }).formData();
      return { kind: "form", form };
    } catch {
      throw new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", "Malformed Server Action arguments: the form body could not be parsed.");
    }
  }
  if (type === "text/plain" || type === "") {
    try {
      return { kind: "text", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      throw new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", "Malformed Server Action arguments: the body is not UTF-8.");
    }
  }
  throw new HttpError("TND_ERR_ACTION_UNSUPPORTED_TYPE", `Server Action body type ${JSON.stringify(type.slice(0, 100))} is not supported.`);
}

/**
 * The action id a JavaScript-less form post names, read from field names only (React's
 * `$ACTION_ID_<id>`, or `$ACTION_REF_<n>` with the id inside `$ACTION_<n>:0`), so that an unknown
 * id is refused before React decodes anything.
 */
export function formActionId(form: FormData): string | undefined {
  for (const [key, value] of form) {
    if (key.startsWith("$ACTION_ID_")) return key.slice("$ACTION_ID_".length);
    if (key.startsWith("$ACTION_REF_")) {
      const meta = form.get(`$ACTION_${key.slice("$ACTION_REF_".length)}:0`);
      if (typeof meta !== "string" || typeof value !== "string") return "";
      try {
        const id = (JSON.parse(String(meta)) as { id?: unknown }).id;
        return typeof id === "string" ? id : "";
      } catch {
        return "";
      }
    }
  }
  return undefined;
}
