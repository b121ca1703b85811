// `"types": ["tandem/env"]` in an app's tsconfig: what the build provides beyond Tandem's own
// exports. Code written for Next.js imports `next/*` modules, which the build points at Tandem's
// implementations, so it type-checks against the same modules.
declare module "next/server" {
  export * from "tandem/next-server";
}
declare module "next/og" {
  export * from "tandem/next-og";
}
declare module "next/headers" {
  export * from "tandem/next-headers";
}
declare module "next/navigation" {
  export * from "tandem/next-navigation";
}
declare module "next/cache" {
  export * from "tandem/next-cache";
}
declare module "next/link" {
  export { default } from "tandem/next-link";
  export * from "tandem/next-link";
}
declare module "next/script" {
  export { default } from "tandem/next-script";
  export * from "tandem/next-script";
}
declare module "next/image" {
  export { default } from "tandem/next-image";
  export * from "tandem/next-image";
}
declare module "next/dynamic" {
  export { default } from "tandem/next-dynamic";
  export * from "tandem/next-dynamic";
}
// next/font: compiled away by the build (docs/fonts.md), so the types live here. Every Google font
// shares one loader type; the names below are common ones, and docs/fonts.md shows the one line
// that declares any other.
declare module "next/font/google" {
  export type FontDisplay = "auto" | "block" | "swap" | "fallback" | "optional";
  export interface NextFont {
    className: string;
    style: { fontFamily: string; fontWeight?: number; fontStyle?: string };
  }
  export interface NextFontWithVariable extends NextFont {
    variable: string;
  }
  export interface GoogleFontOptions {
    /** Omitted (or "variable"): the variable font, from @fontsource-variable/<font>. */
    weight?: string | number | (string | number)[];
    style?: "normal" | "italic" | ("normal" | "italic")[];
    display?: FontDisplay;
    /** Required unless preload is false. */
    subsets?: string[];
    preload?: boolean;
    axes?: string[];
    fallback?: string[];
    adjustFontFallback?: boolean;
    variable?: `--${string}`;
  }
  export type GoogleFontLoader = <T extends GoogleFontOptions>(
    options?: T,
  ) => T extends { variable: string } ? NextFontWithVariable : NextFont;
  export const Inter: GoogleFontLoader;
  export const Geist: GoogleFontLoader;
  export const Geist_Mono: GoogleFontLoader;
  export const Roboto: GoogleFontLoader;
  export const Roboto_Mono: GoogleFontLoader;
  export const Open_Sans: GoogleFontLoader;
  export const Lato: GoogleFontLoader;
  export const Montserrat: GoogleFontLoader;
  export const Poppins: GoogleFontLoader;
  export const Noto_Sans: GoogleFontLoader;
  export const Noto_Serif: GoogleFontLoader;
  export const Source_Sans_3: GoogleFontLoader;
  export const Source_Code_Pro: GoogleFontLoader;
  export const Raleway: GoogleFontLoader;
  export const Nunito: GoogleFontLoader;
  export const Oswald: GoogleFontLoader;
  export const Playfair_Display: GoogleFontLoader;
  export const Merriweather: GoogleFontLoader;
  export const Lora: GoogleFontLoader;
  export const Rubik: GoogleFontLoader;
  export const Work_Sans: GoogleFontLoader;
  export const DM_Sans: GoogleFontLoader;
  export const Manrope: GoogleFontLoader;
  export const Outfit: GoogleFontLoader;
  export const Figtree: GoogleFontLoader;
  export const Plus_Jakarta_Sans: GoogleFontLoader;
  export const Space_Grotesk: GoogleFontLoader;
  export const IBM_Plex_Sans: GoogleFontLoader;
  export const IBM_Plex_Mono: GoogleFontLoader;
  export const JetBrains_Mono: GoogleFontLoader;
  export const Fira_Code: GoogleFontLoader;
}
declare module "next/font/local" {
  import type { FontDisplay, NextFont, NextFontWithVariable } from "next/font/google";
  export interface LocalFontOptions {
    /** Relative to the calling file. */
    src: string | { path: string; weight?: string; style?: string }[];
    display?: FontDisplay;
    weight?: string;
    style?: string;
    adjustFontFallback?: "Arial" | "Times New Roman" | false;
    fallback?: string[];
    preload?: boolean;
    variable?: `--${string}`;
    declarations?: { prop: string; value: string }[];
  }
  export default function localFont<T extends LocalFontOptions>(
    options: T,
  ): T extends { variable: string } ? NextFontWithVariable : NextFont;
}
// Static image imports give next/image's object (tandem/next-image), as Next.js's image types declare.
declare module "*.png" {
  const image: import("tandem/next-image").StaticImageData;
  export default image;
}
declare module "*.jpg" {
  const image: import("tandem/next-image").StaticImageData;
  export default image;
}
declare module "*.jpeg" {
  const image: import("tandem/next-image").StaticImageData;
  export default image;
}
declare module "*.gif" {
  const image: import("tandem/next-image").StaticImageData;
  export default image;
}
declare module "*.webp" {
  const image: import("tandem/next-image").StaticImageData;
  export default image;
}
declare module "*.avif" {
  const image: import("tandem/next-image").StaticImageData;
  export default image;
}
