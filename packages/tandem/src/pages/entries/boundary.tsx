"use client";
import { Component, startTransition, type ComponentType, type ErrorInfo, type ReactNode } from "react";
import { controlOf } from "../control.js";
import { navigate, refresh } from "./client-router.js";

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
export class SegmentBoundary extends Component<Props, { error: SafeError | undefined; control: boolean }> {
  override state = { error: this.props.serverError, control: false };

  static getDerivedStateFromError(error: unknown): { error: SafeError; control: boolean } {
    const control = controlOf(error) !== undefined;
    const digest = (error as { digest?: string } | null)?.digest;
    const message = error instanceof Error ? error.message : String(error);
    return { error: digest === undefined ? { message } : { message, digest }, control };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    const control = controlOf(error);
    if (control?.kind === "redirect") void navigate(control.url, { replace: true });
    // A full load of the URL renders the not-found page with its real 404 status.
    else if (control?.kind === "notFound") window.location.assign(window.location.href);
  }

  // A navigation brings a new payload, so new children: show them instead of the old error.
  override componentDidUpdate(previous: Props): void {
    if (this.state.error !== undefined && previous.children !== this.props.children && this.props.serverError === undefined) {
      this.setState({ error: undefined, control: false });
    }
  }

  #reset = (): void => {
    startTransition(() => {
      this.setState({ error: undefined, control: false });
      void refresh();
    });
  };

  override render(): ReactNode {
    const { error, control } = this.state;
    if (error === undefined) return this.props.children;
    if (control) return null;
    const ErrorView = this.props.errorComponent;
    if (ErrorView === undefined) throw Object.assign(new Error(error.message), { digest: error.digest });
    return <ErrorView error={error} reset={this.#reset} />;
  }
}
