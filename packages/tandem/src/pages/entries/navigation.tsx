"use client";
import type { ReactNode } from "react";
import { navigationStateContext, segmentDepthContext, type NavigationState } from "./navigation-context.js";

/** Around the page tree: the location that next/navigation's hooks return. */
export function NavigationProvider(props: { state: NavigationState; children?: ReactNode }): ReactNode {
  const Context = navigationStateContext();
  return <Context value={props.state}>{props.children}</Context>;
}

/** Around each layout and the page: where useSelectedLayoutSegments() starts counting. */
export function SegmentDepth(props: { depth: number; children?: ReactNode }): ReactNode {
  const Context = segmentDepthContext();
  return <Context value={props.depth}>{props.children}</Context>;
}
