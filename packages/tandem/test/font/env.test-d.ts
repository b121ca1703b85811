// Type tests, checked only by `tsc -p packages/tandem --noEmit`, never run: env.d.ts types Next.js
// font code as Next.js's own declarations do.
/// <reference path="../../env.d.ts" />
import { expectTypeOf } from "expect-type";
import { Inter, type NextFont, type NextFontWithVariable } from "next/font/google";
import localFont from "next/font/local";

expectTypeOf(Inter({ subsets: ["latin"] })).toEqualTypeOf<NextFont>();
expectTypeOf(Inter({ subsets: ["latin"], weight: ["400", "700"], variable: "--font-inter" })).toEqualTypeOf<NextFontWithVariable>();
expectTypeOf(Inter({ subsets: ["latin"] }).style.fontWeight).toEqualTypeOf<number | undefined>();
expectTypeOf(localFont({ src: "./a.woff2" })).toEqualTypeOf<NextFont>();
expectTypeOf(localFont({ src: [{ path: "./a.woff2", weight: "700" }], variable: "--font-a" }).variable).toBeString();
// @ts-expect-error display takes Next.js's values only
Inter({ subsets: ["latin"], display: "fast" });
// @ts-expect-error a CSS variable starts with --
localFont({ src: "./a.woff2", variable: "font-a" });
