import { defineErrors } from "./define.js";

/** next/og's ImageResponse. */
export const ogErrors = defineErrors({
  TND_ERR_OG_INVALID: {
    status: 500,
    description:
      "An ImageResponse (next/og) got an element that is not a React element, or a bad option: width or height not an integer from 1 to 8192, a font without a name or data, an emoji set other than twemoji; the message names it.",
  },
  TND_ERR_OG_RENDER: {
    status: 500,
    description:
      "An ImageResponse could not turn its element into a PNG (satori refused the markup or CSS, or a font could not be read); the message holds satori's or resvg's reason. The response body fails: no half image is sent.",
  },
  TND_ERR_OG_ICON_EXPORT: {
    status: 500,
    description:
      "app/icon.tsx, apple-icon.tsx, opengraph-image.tsx or twitter-image.tsx has no default export function; export one that returns an ImageResponse.",
  },
});
