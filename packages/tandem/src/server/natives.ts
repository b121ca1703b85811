/**
 * Node loads undici, its fetch implementation, the first time anything reads one of the globals
 * Request, Response, Headers or FormData: about 20 ms of startup, a sixth of `tandem start`.
 * Tandem's request path answers most requests without them (NodeRequest, FastResponse), so a
 * server can listen and answer before undici exists.
 *
 * Tandem's stand-ins must still sit on the real classes' prototype chains (`instanceof Request`)
 * once they exist. So the globals are wrapped: whatever first reaches one (user code, a library,
 * Tandem itself through `loadNatives()`) loads all three and runs the registered link steps
 * before it gets its value. Nothing can observe a native class before the stand-ins are linked.
 */
export interface Natives {
  Request: typeof Request;
  Response: typeof Response;
  Headers: typeof Headers;
}

const WRAPPED = ["Request", "Response", "Headers", "FormData"] as const;
type Name = (typeof WRAPPED)[number];

interface Shared {
  load(): Natives;
  on(link: (natives: Natives) => void): void;
}

// One set of wrappers per process, whatever number of copies of this module are loaded (an app
// bundle may hold its own): a second copy wrapping the first's getters would recurse forever.
const KEY = Symbol.for("tandem.natives");
const shared: Shared = ((globalThis as Record<symbol, Shared | undefined>)[KEY] ??= wrapGlobals());

export function loadNatives(): Natives {
  return shared.load();
}

/** Runs `link` once the natives exist: now, if they already do. */
export function onNatives(link: (natives: Natives) => void): void {
  shared.on(link);
}

function wrapGlobals(): Shared {
  const originals = new Map<Name, PropertyDescriptor>();
  const wrappers = new Map<Name, () => unknown>();
  const links: Array<(natives: Natives) => void> = [];
  let natives: Natives | undefined;

  /** The value behind node's lazy global, without letting node's getter replace what is there now. */
  const original = (name: Name): unknown => {
    const descriptor = originals.get(name);
    if (descriptor === undefined) return (globalThis as Record<string, unknown>)[name];
    const current = Object.getOwnPropertyDescriptor(globalThis, name)!;
    const value = descriptor.get!.call(globalThis);
    // node's lazy getter defines the global as its value; keep whatever was there (our wrapper,
    // or FastResponse installed as Response) and decide below.
    Object.defineProperty(globalThis, name, current);
    return value;
  };

  const load = (): Natives => {
    if (natives === undefined) {
      natives = {
        Request: original("Request") as typeof Request,
        Response: original("Response") as typeof Response,
        Headers: original("Headers") as typeof Headers,
      };
      for (const name of WRAPPED) {
        const current = Object.getOwnPropertyDescriptor(globalThis, name);
        // Still our wrapper: the global becomes the real value. Replaced meanwhile: left alone.
        if (current?.get !== undefined && current.get === wrappers.get(name)) {
          const value = name === "FormData" ? original(name) : natives[name];
          Object.defineProperty(globalThis, name, {
            value,
            writable: true,
            configurable: true,
            enumerable: originals.get(name)!.enumerable ?? false,
          });
        }
      }
      for (const link of links.splice(0)) link(natives);
    }
    return natives;
  };

  let alreadyLoaded = false;
  for (const name of WRAPPED) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    if (descriptor?.get === undefined || descriptor.set === undefined) {
      // Someone read it before this module ran (or the runtime has no lazy globals): undici is here.
      alreadyLoaded ||= descriptor !== undefined && name !== "FormData";
      continue;
    }
    originals.set(name, descriptor);
    const get = (): unknown => {
      load();
      return (globalThis as Record<string, unknown>)[name];
    };
    wrappers.set(name, get);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      enumerable: descriptor.enumerable ?? false,
      get,
      set(value: unknown) {
        Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: descriptor.enumerable ?? false });
      },
    });
  }
  if (alreadyLoaded) load();

  return {
    load,
    on(link) {
      if (natives !== undefined) link(natives);
      else links.push(link);
    },
  };
}

/**
 * Whether `value` may be an instance of the native class `tag` names, without loading undici: the
 * native prototypes carry Symbol.toStringTag, so a plain object can be told apart for free.
 */
export function claims(value: unknown, tag: "Request" | "Response" | "Headers"): boolean {
  return typeof value === "object" && value !== null && Object.prototype.toString.call(value) === TAGS[tag];
}

const TAGS = { Request: "[object Request]", Response: "[object Response]", Headers: "[object Headers]" } as const;
