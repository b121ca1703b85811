import * as React from "react";
import type { Params } from "../../router/types.js";

/** Where the page being shown is: what next/navigation's hooks read. */
export interface NavigationState {
  pathname: string;
  /** The query string with its "?", or "". */
  search: string;
  params: Params;
  /** The value of each segment folder below app/ (dynamic ones filled in, groups as "(name)"). */
  segments: string[];
}

// Made on first use, not at import: the react-server build of React (which Server Components
// load this module with when they import redirect() from next/navigation) has no createContext.
// Kept under a global symbol, like React's own element marks, so that a second copy of this
// module (a pre-bundled dependency's, or the server entry's) provides and reads the same context.
const STATE_KEY = Symbol.for("tandem.navigation.state");
const DEPTH_KEY = Symbol.for("tandem.navigation.depth");

type Global = Record<symbol, unknown>;

export function navigationStateContext(): React.Context<NavigationState | null> {
  return ((globalThis as Global)[STATE_KEY] ??= React.createContext<NavigationState | null>(null)) as React.Context<NavigationState | null>;
}

/** How many of `segments` lie above the layout (or page) reading it. */
export function segmentDepthContext(): React.Context<number> {
  return ((globalThis as Global)[DEPTH_KEY] ??= React.createContext<number>(0)) as React.Context<number>;
}
