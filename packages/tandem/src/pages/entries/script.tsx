"use client";
import { useEffect, useRef, type ReactNode, type ScriptHTMLAttributes } from "react";

export interface ScriptProps extends Omit<ScriptHTMLAttributes<HTMLScriptElement>, "onLoad" | "onError"> {
  /** When to load: before hydration (in the HTML), after it (default), or once the page is idle. */
  strategy?: "beforeInteractive" | "afterInteractive" | "lazyOnload" | "worker";
  id?: string;
  onLoad?: (event: Event) => void;
  /** After the script loaded, and again every time the component mounts. */
  onReady?: () => void;
  onError?: (event: Event | string) => void;
  children?: ReactNode;
}

// Scripts already added to the document, by id or src: a script runs once per page, however many
// components (or navigations) ask for it. Under a global symbol so that every copy of this module
// shares it.
const KEY = Symbol.for("tandem.next-script.loaded");
function loaded(): Map<string, Promise<void>> {
  return ((globalThis as Record<symbol, unknown>)[KEY] ??= new Map<string, Promise<void>>()) as Map<string, Promise<void>>;
}

const RESERVED = new Set(["strategy", "onLoad", "onReady", "onError", "children", "dangerouslySetInnerHTML"]);

function inlineCode(props: ScriptProps): string | undefined {
  if (typeof props.children === "string") return props.children;
  const html = props.dangerouslySetInnerHTML?.__html;
  return typeof html === "string" ? html : undefined;
}

function addScript(props: ScriptProps): Promise<void> {
  const key = props.id ?? props.src;
  const known = key === undefined ? undefined : loaded().get(key);
  if (known !== undefined) return known;
  const element = document.createElement("script");
  for (const [name, value] of Object.entries(props)) {
    if (RESERVED.has(name) || value === undefined || value === false || typeof value === "function") continue;
    element.setAttribute(name === "className" ? "class" : name, value === true ? "" : String(value));
  }
  const code = inlineCode(props);
  const done = new Promise<void>((resolve, reject) => {
    if (code !== undefined) {
      element.text = code;
      queueMicrotask(resolve);
    } else {
      element.addEventListener("load", (event) => (props.onLoad?.(event), resolve()));
      element.addEventListener("error", (event) => (props.onError?.(event), reject(new Error(`script ${props.src} failed to load`))));
    }
  });
  done.catch(() => key !== undefined && loaded().delete(key));
  if (key !== undefined) loaded().set(key, done);
  document.body.appendChild(element);
  return done;
}

function whenIdle(run: () => void): void {
  const idle = () => ("requestIdleCallback" in window ? window.requestIdleCallback(run) : setTimeout(run, 1));
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}

/**
 * next/script. `beforeInteractive` scripts are part of the server HTML; the other strategies add
 * the script from the browser after hydration (`lazyOnload` once the page is idle). `worker`
 * (Partytown) loads like `lazyOnload`.
 */
export default function Script(props: ScriptProps): ReactNode {
  const { strategy = "afterInteractive" } = props;
  const latest = useRef(props);
  latest.current = props;
  const key = props.id ?? props.src;
  // Keyed by the script, not by the callbacks (read from `latest`): a re-render with new closures
  // loads nothing again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the script the effect loads.
  useEffect(() => {
    if (strategy === "beforeInteractive") return;
    const run = (): void => {
      addScript(latest.current).then(
        () => latest.current.onReady?.(),
        () => undefined,
      );
    };
    if (strategy === "lazyOnload" || strategy === "worker") whenIdle(run);
    else run();
  }, [key, strategy]);
  if (strategy !== "beforeInteractive") return null;
  const { strategy: _s, onLoad: _l, onReady: _r, onError: _e, children, ...attributes } = props;
  const code = inlineCode(props);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: the app's own inline script, as next/script renders it.
  if (code !== undefined) return <script {...attributes} dangerouslySetInnerHTML={{ __html: code }} />;
  return <script {...attributes} async />;
}
