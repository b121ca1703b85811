// CSS as Next.js configures it: postcss.config.mjs naming "@tailwindcss/postcss" by string (the
// create-next-app form, which Vite's loader rejects) and Tailwind v4's `@import "tailwindcss"`,
// checked in Chromium: the class styles the page in every mode.
import assert from "node:assert/strict";
import { after, test, type TestContext } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const app = (postcss: string) =>
  createProject({
    "postcss.config.mjs": postcss,
    "app/globals.css": `@import "tailwindcss";\n`,
    "app/layout.tsx": `import "./globals.css";
export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
    "app/page.tsx": `export default function Home() {
  return <h1 id="title" className="text-red-500 font-bold">Styled</h1>;
}
`,
  });

const arrayForm = app(`const config = { plugins: ["@tailwindcss/postcss"] };\nexport default config;\n`);
const objectForm = app(`export default { plugins: { "@tailwindcss/postcss": {} } };\n`);
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  arrayForm.remove();
  objectForm.remove();
});

async function titleStyle(t: TestContext, url: string): Promise<{ color: string; weight: string } | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  try {
    await page.goto(url);
    // In dev the stylesheet may arrive after the HTML: wait for the rule, not for a time.
    await page.waitForFunction(() => getComputedStyle(document.querySelector("#title")!).fontWeight === "700");
    return await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector("#title")!);
      return { color: style.color, weight: style.fontWeight };
    });
  } finally {
    await page.close();
  }
}

for (const [name, project, modes] of [
  ["plugins as an array of names", arrayForm, undefined],
  ["plugins as an object", objectForm, ["memory"] as const],
] as const) {
  describeModes(
    `Tailwind v4 through postcss.config.mjs, ${name}`,
    project.root,
    (testApp) => {
      test("a utility class styles the page", async (t) => {
        const style = await titleStyle(t, `${await testApp().url()}/`);
        if (style === undefined) return;
        assert.equal(style.weight, "700");
        // text-red-500 (an oklch colour): not the default black.
        assert.notEqual(style.color, "rgb(0, 0, 0)");
        assert.match(style.color, /^(oklch|rgb|color)\(/);
      });
    },
    modes === undefined ? {} : { modes },
  );
}
