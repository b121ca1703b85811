import { defineErrors } from "./define.js";

export const fontErrors = defineErrors({
  TND_ERR_FONT_CALL: {
    status: 500,
    description:
      "A next/font loader was used other than as Next.js requires: imported by name (next/font/google) or as the default (next/font/local), called once per const at module top level with one object literal; the build names the file.",
  },
  TND_ERR_FONT_OPTION: {
    status: 500,
    description:
      "A next/font option is not a literal, unknown, or names what the font does not have (a weight, style, subset or axis), or a local font file is missing; the build names the file, the option and what is available.",
  },
  TND_ERR_FONT_NOT_INSTALLED: {
    status: 500,
    description:
      "A next/font/google font is self-hosted from its @fontsource package (Google Fonts is not downloaded); the build names the package to install, such as @fontsource/inter or @fontsource-variable/inter for the variable font.",
  },
});
