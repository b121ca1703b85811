/**
 * `tandem/next-dynamic`, what the build gives an app's `next/dynamic` imports: React.lazy with a
 * Suspense fallback. Plain functions, no hooks unless `ssr: false`, so Server Components may use it.
 */
import { createElement, lazy, Suspense, useSyncExternalStore, type ComponentType, type ReactNode } from "react";

export interface DynamicOptionsLoadingProps {
  error?: Error | null;
  isLoading?: boolean;
  pastDelay?: boolean;
}

type Loaded<P> = ComponentType<P> | { default: ComponentType<P> };

export interface DynamicOptions {
  /** Shown while the component's code loads. */
  loading?: (props: DynamicOptionsLoadingProps) => ReactNode;
  /** false: render only in the browser (the server HTML holds the loading view). */
  ssr?: boolean;
}

const subscribe = (): (() => void) => () => {};

/** True in the browser after hydration, false on the server and while hydrating. */
function useIsClient(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** next/dynamic: a component whose code loads when it first renders. */
export default function dynamic<P extends object>(loader: () => Promise<Loaded<P>>, options: DynamicOptions = {}): ComponentType<P> {
  const Lazy = lazy(async () => {
    const loaded = await loader();
    return { default: "default" in loaded && loaded.default !== undefined ? loaded.default : (loaded as ComponentType<P>) };
  });
  const fallback = options.loading === undefined ? null : createElement(options.loading, { isLoading: true, pastDelay: true, error: null });
  const render = (props: P): ReactNode => createElement(Suspense, { fallback }, createElement(Lazy as ComponentType<P>, props));
  if (options.ssr !== false) return render;
  return function ClientOnly(props: P): ReactNode {
    return useIsClient() ? render(props) : fallback;
  };
}
