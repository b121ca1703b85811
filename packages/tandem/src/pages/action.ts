import { createTemporaryReferenceSet, decodeAction, decodeFormState, decodeReply, loadServerAction } from "@vitejs/plugin-rsc/rsc/server";
import type { ReactFormState } from "react-dom/client";
import { HttpError } from "../errors/http-error.js";
import { checkOrigin, DEFAULT_BODY_LIMIT, formActionId, isValidActionId, parseBody, readBody } from "./action-request.js";
import { controlOf, type Control } from "./control.js";
import { checkReply, type ReplyLimits } from "./reply-guard.js";
import { logRequestError, setContextPhase } from "./request-context.js";
import { toSafeError } from "./tree.js";
import type { ActionOptions, RscPayload } from "./types.js";
import { channels, traced } from "../tracing/channels.js";
import { requestId } from "../app/request-id.js";

const DECODE_TIMEOUT_MS = 5_000;
const SERVER_REFERENCE = Symbol.for("react.server.reference");

function limitsOf(options: ActionOptions): ReplyLimits {
  return { maxDepth: options.maxDepth ?? 64, maxNodes: options.maxNodes ?? 20_000, maxChunks: 1_000 };
}

/** Loads the action by id; anything that is not a known server function is a 404. */
async function loadAction(id: string | undefined): Promise<(...args: unknown[]) => unknown> {
  const unknown = (): HttpError =>
    new HttpError("TND_ERR_ACTION_NOT_FOUND", "Unknown Server Action. Reload the page to get the current version.");
  if (id === undefined || !isValidActionId(id)) throw unknown();
  let fn: unknown;
  try {
    fn = await loadServerAction(id);
  } catch {
    throw unknown();
  }
  // Only functions React registered as server references: the module registry is a plain object,
  // so an id like "constructor#constructor" would otherwise reach Object itself.
  if (typeof fn !== "function" || (fn as { $$typeof?: unknown }).$$typeof !== SERVER_REFERENCE) throw unknown();
  return fn as (...args: unknown[]) => unknown;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", `Malformed Server Action arguments: ${what} did not finish decoding.`)),
      DECODE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ActionOutcome {
  returnValue?: RscPayload["returnValue"];
  redirect?: string;
  temporaryReferences?: unknown;
}

/**
 * An action called from JavaScript. Order matters: method and Origin, then the id (404 before
 * reading the body), then the size limit, then the structural check, and only then React's decoder.
 */
export async function runAction(request: Request, id: string, options: ActionOptions, dev: boolean): Promise<ActionOutcome> {
  checkOrigin(request, options);
  const action = await loadAction(id);
  const body = await parseBody(await readBody(request, options.bodyLimit ?? DEFAULT_BODY_LIMIT), request.headers.get("content-type"));
  const reply = body.kind === "text" ? body.text : body.form;
  checkReply(reply, limitsOf(options));
  const temporaryReferences = createTemporaryReferenceSet();
  let args: unknown;
  try {
    args = await withTimeout(
      Promise.resolve(decodeReply(reply, { temporaryReferences, arraySizeLimit: limitsOf(options).maxNodes } as never)),
      "the reply",
    );
  } catch (error) {
    if (HttpError.is(error)) throw error;
    throw new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", "Malformed Server Action arguments: React's decoder refused them.");
  }
  if (!Array.isArray(args))
    throw new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", "Malformed Server Action arguments: expected an argument list.");
  setContextPhase("action");
  try {
    return { returnValue: { ok: true, data: await call(request, id, () => action(...args)) }, temporaryReferences };
  } catch (error) {
    const control = controlOf(error);
    if (control?.kind === "redirect") return { redirect: control.url };
    if (control === undefined) logRequestError("Server Action failed:", error, requestId(request));
    const data = control?.kind === "notFound" ? { message: "Not found", digest: "NEXT_HTTP_ERROR_FALLBACK;404" } : toSafeError(error, dev);
    return { returnValue: { ok: false, data }, temporaryReferences };
  } finally {
    setContextPhase("render");
  }
}

export interface FormActionOutcome {
  formState?: ReactFormState;
  control?: Control;
}

/** A `<form action={fn}>` posted before hydration or without JavaScript (progressive enhancement). */
export async function runFormAction(request: Request, options: ActionOptions): Promise<FormActionOutcome> {
  checkOrigin(request, options);
  const body = await parseBody(await readBody(request, options.bodyLimit ?? DEFAULT_BODY_LIMIT), request.headers.get("content-type"));
  if (body.kind !== "form") {
    throw new HttpError("TND_ERR_ACTION_UNSUPPORTED_TYPE", "A POST to a page must be a form carrying a Server Action.");
  }
  const form = body.form;
  const id = formActionId(form);
  await loadAction(id);
  checkBoundArgs(form, limitsOf(options));
  let action: () => unknown;
  try {
    action = (await withTimeout(Promise.resolve(decodeAction(form)), "the form action")) as () => unknown;
  } catch (error) {
    if (HttpError.is(error)) throw error;
    throw new HttpError("TND_ERR_ACTION_BAD_PAYLOAD", "Malformed Server Action arguments: React's decoder refused the form.");
  }
  setContextPhase("action");
  try {
    const result = await call(request, id, action);
    const formState = (await decodeFormState(result, form)) as ReactFormState;
    // The form state of an action with bound arguments (useActionState(fn.bind(null, id))) makes
    // React's server renderer suspend on a fresh bind() promise at every retry, forever
    // (react-dom 19.3). Any client could trigger that loop by posting such a form, so those render fresh.
    if (boundArgCount(formState) > 0) return {};
    return { formState };
  } catch (error) {
    const control = controlOf(error);
    if (control !== undefined) return { control };
    throw error;
  } finally {
    setContextPhase("render");
  }
}

/** The action's own function, as one `tandem:action` operation when the channel has subscribers. */
function call(request: Request, actionId: string | undefined, fn: () => unknown): unknown {
  return channels.action.hasSubscribers ? traced(channels.action, { request, actionId }, fn) : fn();
}

/** React's ReactFormState is [state, key, actionId, bound argument count]. */
function boundArgCount(formState: unknown): number {
  return Array.isArray(formState) && typeof formState[3] === "number" ? formState[3] : 0;
}

/** Bound arguments of a `$ACTION_REF_` form travel as a reply under the `$ACTION_<n>:` prefix. */
function checkBoundArgs(form: FormData, limits: ReplyLimits): void {
  for (const key of form.keys()) {
    if (!key.startsWith("$ACTION_REF_")) continue;
    const prefix = `$ACTION_${key.slice("$ACTION_REF_".length)}:`;
    const reply = new FormData();
    for (const [name, value] of form) if (name.startsWith(prefix)) reply.append(name.slice(prefix.length), value);
    checkReply(reply, limits);
  }
}
