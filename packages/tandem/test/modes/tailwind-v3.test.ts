// Tailwind v3 as create-next-app set it up before v4: tailwind.config.js with `content` globs,
// `@tailwind` directives, and postcss.config naming `tailwindcss` and `autoprefixer` (as an object
// or as strings). The workspace has Tailwind v4 at its root, so each fixture links the
// workspace's `tailwindcss-v3` package (an npm alias of tailwindcss@3) as its own
// node_modules/tailwindcss: the app resolves v3, as an app that installed it would.
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, test, type TestContext } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const TAILWIND_V3 = dirname(createRequire(import.meta.url).resolve("tailwindcss-v3/package.json"));

const app = (files: Record<string, string>) => {
  const project = createProject({
    // No "type": the configs are CommonJS, as create-next-app wrote them.
    "package.json": `{ "name": "tailwind-v3-app", "private": true }\n`,
    "app/globals.css": "@tailwind base;\n@tailwind components;\n@tailwind utilities;\n",
    "app/layout.tsx": `import "./globals.css";
export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
    "app/page.tsx": `export default function Home() {
  return <h1 id="title" className="text-brand font-bold tracking-widest">Styled</h1>;
}
`,
    ...files,
  });
  mkdirSync(join(project.root, "node_modules"));
  symlinkSync(TAILWIND_V3, join(project.root, "node_modules/tailwindcss"), "dir");
  return project;
};

const tailwindConfig = `/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ["./app/**/*.{js,ts,jsx,tsx}"],
  theme: { extend: { colors: { brand: "rgb(0, 119, 85)" } } },
  plugins: [],
};
`;

const objectForm = app({
  "tailwind.config.js": tailwindConfig,
  "postcss.config.js": "module.exports = { plugins: { tailwindcss: {}, autoprefixer: {} } };\n",
});
const arrayForm = app({
  "tailwind.config.js": tailwindConfig,
  "postcss.config.mjs": `export default { plugins: ["tailwindcss", "autoprefixer"] };\n`,
});

let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  objectForm.remove();
  arrayForm.remove();
});

async function titleStyle(t: TestContext, url: string): Promise<{ color: string; weight: string; spacing: string } | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  try {
    await page.goto(url);
    // In dev the stylesheet may arrive after the HTML: wait for the rule, not for a time.
    await page.waitForFunction(() => getComputedStyle(document.querySelector("#title")!).fontWeight === "700");
    return await page.evaluate(() => ({
      color: getComputedStyle(document.querySelector("#title")!).color,
      weight: getComputedStyle(document.querySelector("#title")!).fontWeight,
      spacing: getComputedStyle(document.querySelector("#title")!).letterSpacing,
    }));
  } finally {
    await page.close();
  }
}

test("the fixtures resolve Tailwind v3, not the workspace's v4", () => {
  const version = (root: string) => (createRequire(join(root, "package.json"))("tailwindcss/package.json") as { version: string }).version;
  assert.match(version(objectForm.root), /^3\./);
  assert.match(version(arrayForm.root), /^3\./);
});

for (const [name, project, modes] of [
  ["plugins as an object", objectForm, undefined],
  ["plugins as an array of names", arrayForm, ["memory"] as const],
] as const) {
  describeModes(
    `Tailwind v3 through tailwind.config.js and postcss.config, ${name}`,
    project.root,
    (testApp) => {
      test("utility classes and the config's theme colour style the page", async (t) => {
        const style = await titleStyle(t, `${await testApp().url()}/`);
        if (style === undefined) return;
        assert.equal(style.weight, "700");
        // `text-brand`, from theme.extend in tailwind.config.js (v3 writes it as rgb()).
        assert.equal(style.color, "rgb(0, 119, 85)");
        // tracking-widest is 0.1em; @tailwind base (Preflight) set the h1 to the body's 16px.
        assert.equal(style.spacing, "1.6px");
      });
    },
    modes === undefined ? {} : { modes },
  );
}
