// `tandem/next-navigation`, what the server environment gives an app's `next/navigation` imports.
// The browser and the SSR environment build the same module from the pages entries' file, so
// that the hooks and the page tree's providers are one copy (see build/next-imports.ts).
export * from "../pages/entries/next-navigation.js";
