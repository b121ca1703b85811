"use client";
import { Component, startTransition, type ComponentType, type ErrorInfo, type ReactNode } from "react";
import { controlOf } from "../control.js";
import { hasNavigated, navigate, refresh } from "./client-router.js";

interface SafeError {
  message: string;
  digest?: string;
}

interface Props {
  /** Without one, errors other than redirect()/notFound() go on to the boundary above. */
  errorComponent?: ComponentType<{ error: SafeError; reset: () => void }>;
  /** Set when the server already caught the page's error (so the HTML shows error.tsx). */
  serverError?: SafeError;
  children?: ReactNode;
}

/**
 * A segment's error.tsx boundary. redirect()/notFound() thrown while rendering in the browser
 * (after a client navigation) are not errors: they navigate.
 */
interface State {
  error: SafeError | undefined;
  control: boolean;
  /** notFound() met while hydrating the document itself: reloading would loop, so say it here. */
  notFoundHere: boolean;
}

export class SegmentBoundary extends Component<Props, State> {
  override state: State = { error: this.props.serverError, control: false, notFoundHere: false };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    const kind = controlOf(error)?.kind;
    const control = kind !== undefined;
    const digest = (error as { digest?: string } | null)?.digest;
    const message = error instanceof Error ? error.message : String(error);
    return {
      error: digest === undefined ? { message } : { message, digest },
      control,
      notFoundHere: kind === "notFound" && !hasNavigated(),
    };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    const control = controlOf(error);
    if (control?.kind === "redirect") void navigate(control.url, { replace: true });
    // After a client navigation, a full load of the URL renders the not-found page with its 404.
    else if (control?.kind === "notFound" && hasNavigated()) window.location.assign(window.location.href);
  }

  // A navigation brings a new payload, so new children: show them instead of the old error.
  override componentDidUpdate(previous: Props): void {
    if (this.state.error !== undefined && previous.children !== this.props.children && this.props.serverError === undefined) {
      this.setState({ error: undefined, control: false, notFoundHere: false });
    }
  }

  #reset = (): void => {
    startTransition(() => {
      this.setState({ error: undefined, control: false, notFoundHere: false });
      void refresh();
    });
  };

  override render(): ReactNode {
    const { error, control, notFoundHere } = this.state;
    if (error === undefined) return this.props.children;
    if (notFoundHere) return <p role="alert">404: This page could not be found.</p>;
    if (control) return null;
    const ErrorView = this.props.errorComponent;
    if (ErrorView === undefined) throw Object.assign(new Error(error.message), { digest: error.digest });
    return <ErrorView error={error} reset={this.#reset} />;
  }
}

/** What the root boundary shows for an error no error.tsx caught after the page was streamed. */
export function DefaultErrorView(props: { error: SafeError; reset: () => void }): ReactNode {
  return (
    <div role="alert">
      <p>Something went wrong while rendering this page{props.error.digest ? ` (${props.error.digest})` : ""}.</p>
      <button type="button" onClick={props.reset}>
        Try again
      </button>
    </div>
  );
}
