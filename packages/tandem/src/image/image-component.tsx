"use client";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type Ref, type SyntheticEvent } from "react";
import { preload } from "react-dom";
import { toImgProps, type ImageProps } from "./img-props.js";
import { clientImageConfig, defaultLoader } from "./loader.js";

/** useLayoutEffect without React's warning on the server, where neither effect runs. */
const useMountEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

/**
 * next/image: an <img> with srcset and sizes through the optimizing endpoint, lazy unless
 * `priority`/`preload`, with a placeholder shown until it loads. See docs/images.md.
 */
export default function Image(props: ImageProps & { ref?: Ref<HTMLImageElement> | undefined }) {
  const { ref: forwarded, onLoad, onLoadingComplete, onError } = props;
  const [blurComplete, setBlurComplete] = useState(false);
  const [showAltText, setShowAltText] = useState(false);
  const { props: img, meta } = toImgProps(props, { config: clientImageConfig, defaultLoader, blurComplete, showAltText });
  if (meta.preload) {
    // React hoists it into <head> during SSR, and adds it once in the browser.
    preload(img.src, {
      as: "image",
      ...(img.srcSet !== undefined ? { imageSrcSet: img.srcSet } : {}),
      ...(img.sizes !== undefined ? { imageSizes: img.sizes } : {}),
      ...(img.fetchPriority !== undefined ? { fetchPriority: img.fetchPriority } : {}),
      ...(typeof img.crossOrigin === "string" ? { crossOrigin: img.crossOrigin } : {}),
      ...(img.referrerPolicy !== undefined ? { referrerPolicy: img.referrerPolicy } : {}),
    });
  }
  const element = useRef<HTMLImageElement | null>(null);
  const latest = useRef({ onLoad, onLoadingComplete, placeholder: meta.placeholder });
  latest.current = { onLoad, onLoadingComplete, placeholder: meta.placeholder };
  const loaded = useCallback((target: HTMLImageElement, event?: SyntheticEvent<HTMLImageElement, Event>) => {
    // A srcset change fires load again for the same element: report each decoded source once.
    const key = target.currentSrc || target.src;
    if (!key || target.dataset.loadedSrc === key) return;
    target.dataset.loadedSrc = key;
    if (latest.current.placeholder !== "empty") setBlurComplete(true);
    if (event !== undefined) latest.current.onLoad?.(event);
    else latest.current.onLoad?.({ currentTarget: target, target } as unknown as SyntheticEvent<HTMLImageElement, Event>);
    latest.current.onLoadingComplete?.(target);
  }, []);
  const hasOnError = onError !== undefined;
  // An image that loaded (or failed) before hydration fired its event with no React handler.
  useMountEffect(() => {
    const target = element.current;
    if (target === null) return;
    if (hasOnError) {
      // biome-ignore lint/correctness/noSelfAssign: setting src again retries, so the error fires with the handler attached
      target.src = target.src;
    }
    if (target.complete && target.naturalWidth > 0) loaded(target);
  }, [img.src]);
  const setRef = useCallback(
    (node: HTMLImageElement | null) => {
      element.current = node;
      if (typeof forwarded === "function") forwarded(node);
      else if (forwarded) forwarded.current = node;
    },
    [forwarded],
  );
  const { src, srcSet, sizes, loading, alt, ...attributes } = img;
  return (
    <img
      alt={alt}
      {...attributes}
      // loading before src: browsers start fetching when src is set (React sets attributes in order).
      loading={loading}
      data-nimg={meta.fill ? "fill" : "1"}
      sizes={sizes}
      srcSet={srcSet}
      src={src}
      ref={setRef}
      onLoad={(event) => loaded(event.currentTarget, event)}
      onError={(event) => {
        setShowAltText(true);
        if (meta.placeholder !== "empty") setBlurComplete(true);
        onError?.(event);
      }}
    />
  );
}
