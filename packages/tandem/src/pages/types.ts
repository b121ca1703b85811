import type { ReactNode } from "react";
import type { ReactFormState } from "react-dom/client";
import type { Load } from "../app/types.js";
import type { Params } from "../router/types.js";

export type PageModule = Record<string, unknown>;

/** Loaders for the special files of one folder under app/, outermost segment first. */
export interface SegmentLoaders {
  layout?: Load<PageModule>;
  template?: Load<PageModule>;
  loading?: Load<PageModule>;
  error?: Load<PageModule>;
  notFound?: Load<PageModule>;
}

/** One folder of a route: its special files and its name ("" for app/ itself), for useSelectedLayoutSegments(). */
export interface PageSegment extends SegmentLoaders {
  name?: string;
}

/** What the pages feature stores in `ManifestRoute.pageData` (see codegen.ts). */
export interface PageData {
  segments: PageSegment[];
  /** app/favicon.ico, app/icon.*, app/apple-icon.*: linked in every page's <head>. */
  icons?: IconLink[];
}

/** A <link> for an icon file, as Next.js writes it. */
export interface IconLink {
  /** og:image and twitter:image (opengraph-image.tsx, twitter-image.tsx) become meta tags, not links. */
  rel: "icon" | "apple-touch-icon" | "og:image" | "twitter:image";
  href: string;
  type: string;
  sizes?: string;
  alt?: string;
}

/** Props a page receives (Next.js 15+: promises). Layouts get `params` and `children`. */
export interface PageProps<P extends Params = Params> {
  params: Promise<P>;
  searchParams: Promise<Record<string, string | string[]>>;
}

/** What travels in the RSC stream from the rsc environment to the ssr and client environments. */
export interface RscPayload {
  root: ReactNode;
  /** Result of an action called from JavaScript (setServerCallback). */
  returnValue?: { ok: boolean; data: unknown };
  /** useActionState state after a form posted without JavaScript. */
  formState?: ReactFormState;
  /** An action called from JavaScript redirected: the browser navigates there. */
  redirect?: string;
}

/** Security and size limits for Server Actions, all on by default. */
export interface ActionOptions {
  /** Extra origins (e.g. "https://admin.example.com") allowed to call actions. Default none. */
  allowedOrigins?: string[];
  /**
   * Run actions whose request carries neither Origin nor Sec-Fetch-Site (no browser since 2019
   * sends such a POST; scripts and old clients do). Default false: refused with 403
   * TND_ERR_ACTION_NO_ORIGIN, see docs/decisions/0007-actions-need-an-origin.md.
   */
  allowMissingOrigin?: boolean;
  /** Max request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Max nesting depth of one decoded argument payload. Default 64. */
  maxDepth?: number;
  /** Max values (objects, arrays, strings...) in one payload. Default 20,000. */
  maxNodes?: number;
}
