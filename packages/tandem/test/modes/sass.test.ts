// Sass as Next.js supports it, with the `sass` package the app installs (here the workspace's):
// `.scss` and `.sass` global CSS imported by a layout and a `*.module.scss` CSS Module, checked in
// Chromium (computed styles) in every mode; and the error when no Sass package is installed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test, type TestContext } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { findSass, sassCheck } from "../../src/build/sass.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const project = createProject({
  "app/globals.scss": `@use "sass:color";
$brand: rgb(0, 128, 0);
body {
  h1 {
    color: $brand;
    background-color: color.adjust($brand, $lightness: 60%);
  }
}
`,
  "app/indented.sass": `$weight: 700
.indented
  font-weight: $weight
`,
  "app/card.module.scss": `$pad: 12px;
.card {
  padding: $pad;
  & > span { letter-spacing: 2px; }
}
`,
  "app/layout.tsx": `import "./globals.scss";
import "./indented.sass";
export default function Layout({ children }: { children: React.ReactNode }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  "app/page.tsx": `import styles from "./card.module.scss";
export default function Home() {
  return (
    <main>
      <h1 id="title">Sass</h1>
      <p id="weight" className="indented">bold</p>
      <div id="card" className={styles.card}><span id="inner">spaced</span></div>
    </main>
  );
}
`,
});

let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  project.remove();
});

interface Styles {
  color: string;
  background: string;
  weight: string;
  padding: string;
  spacing: string;
  cardClass: string;
}

async function pageStyles(t: TestContext, url: string): Promise<Styles | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  try {
    await page.goto(url);
    // In dev the stylesheets may arrive after the HTML: wait for the rules, not for a time.
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector("#weight")!).fontWeight === "700" &&
        getComputedStyle(document.querySelector("#card")!).paddingTop === "12px",
    );
    // One expression per value: a helper function inside would be compiled with a name helper
    // the page does not have.
    return await page.evaluate(() => ({
      color: getComputedStyle(document.querySelector("#title")!).color,
      background: getComputedStyle(document.querySelector("#title")!).backgroundColor,
      weight: getComputedStyle(document.querySelector("#weight")!).fontWeight,
      padding: getComputedStyle(document.querySelector("#card")!).paddingTop,
      spacing: getComputedStyle(document.querySelector("#inner")!).letterSpacing,
      cardClass: document.querySelector("#card")!.className,
    }));
  } finally {
    await page.close();
  }
}

describeModes("Sass: .scss and .sass global CSS, *.module.scss", project.root, (testApp) => {
  test("variables, nesting, modules and the indented syntax style the page", async (t) => {
    const styles = await pageStyles(t, `${await testApp().url()}/`);
    if (styles === undefined) return;
    assert.equal(styles.color, "rgb(0, 128, 0)");
    // sass:color computed it: a lighter green, not the brand colour nor transparent.
    assert.match(styles.background, /^rgb\(\d+, \d+, \d+\)$/);
    assert.notEqual(styles.background, "rgb(0, 128, 0)");
    assert.equal(styles.weight, "700");
    assert.equal(styles.padding, "12px");
    assert.equal(styles.spacing, "2px");
    // A CSS Module's class is scoped, not the name in the file.
    assert.notEqual(styles.cardClass, "card");
    assert.match(styles.cardClass, /card/);
  });
});

test("a Sass file without a Sass package installed stops with the npm command", () => {
  // Outside the repository, so that the workspace's sass is not found.
  const root = mkdtempSync(join(tmpdir(), "tandem-no-sass-"));
  try {
    assert.equal(findSass(root), undefined);
    const plugin = sassCheck(root);
    const transform = plugin.transform as (code: string, id: string) => unknown;
    assert.equal(transform.call({}, "", join(root, "app/page.tsx")), undefined);
    assert.throws(
      () => transform.call({}, "", join(root, "app/globals.scss")),
      (error: { code?: string; message: string }) =>
        error.code === "TND_ERR_MISSING_PACKAGE" && error.message.includes("globals.scss") && error.message.includes("npm install -D sass"),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.equal(findSass(project.root), "sass");
});
