import { defineErrors } from "./define.js";

export const imageErrors = defineErrors({
  TND_ERR_IMAGE_URL: {
    status: 400,
    description:
      'A request to /_tandem/image has no `url` parameter, or one that is neither a path of the app ("/hero.png") nor an absolute http(s) URL, or points at the endpoint itself.',
  },
  TND_ERR_IMAGE_WIDTH: {
    status: 400,
    description:
      "The `w` parameter of /_tandem/image is missing or not one of images.deviceSizes and images.imageSizes; next/image only asks for those, so add the width there if you build the URL yourself.",
  },
  TND_ERR_IMAGE_QUALITY: {
    status: 400,
    description:
      "The `q` parameter of /_tandem/image is missing or not one of images.qualities (default [75]); add it to images.qualities in next.config.",
  },
  TND_ERR_IMAGE_NOT_ALLOWED: {
    status: 400,
    description:
      "The image URL is not allowed: a remote host not matched by images.remotePatterns (or images.domains), a redirect to one, a local path not matched by images.localPatterns, or a private/loopback address without images.dangerouslyAllowLocalIP.",
  },
  TND_ERR_IMAGE_NOT_IMAGE: {
    status: 400,
    description: "The upstream body is not an image Tandem can read (its first bytes are no known image format, or it failed to decode).",
  },
  TND_ERR_IMAGE_SVG: {
    status: 400,
    description:
      "The upstream image is an SVG, which the endpoint serves only with images.dangerouslyAllowSVG (SVG can hold scripts); next/image itself serves .svg files directly.",
  },
  TND_ERR_IMAGE_TOO_LARGE: {
    status: 413,
    description: "The upstream image is larger than images.maximumResponseBody (default 50 MB); reading stopped at the limit.",
  },
  TND_ERR_IMAGE_UPSTREAM: {
    status: 502,
    description:
      "The upstream image could not be fetched: it answered an error (404 is passed on), did not answer within the timeout (504), could not be resolved, or redirected more than images.maximumRedirects times.",
  },
});
