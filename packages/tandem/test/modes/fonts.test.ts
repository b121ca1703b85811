// next/font/google (self-hosted from @fontsource packages) and next/font/local in every mode: the
// preload links and class names in the HTML, the @font-face CSS and the served files, and in
// Chromium the computed font-family and the faces document.fonts loaded. Then the build errors.
// (No named functions inside page.evaluate: tsx's keepNames would call a __name the page lacks.)
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, test, type TestContext } from "node:test";
import { chromium, type Browser } from "playwright-core";
import type { TestApp } from "tandem/testing";
import { runCli } from "../support/cli.js";
import { describeModes } from "../support/modes.js";
import { createProject } from "../support/project.js";
import { CHROMIUM, CHROMIUM_ARGS, needChromium } from "tandem-test-support/services";

const require = createRequire(import.meta.url);

const project = createProject({
  // The layout calls the loaders itself; /brand's page imports a font module (the usual
  // app/fonts.ts) and no CSS of its own.
  "app/layout.tsx": `import { Inter } from "next/font/google";

const inter = Inter({ subsets: ["latin"], weight: ["400", "700"], display: "swap", variable: "--font-inter" });
const black = Inter({ subsets: ["latin"], weight: "900", preload: false });

export default function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className={inter.className}>
        <span id="black" className={black.className}>Black</span>
        {children}
      </body>
    </html>
  );
}
`,
  "app/page.tsx": `import { ClientText } from "./client-text";

export default function Home() {
  return <main><h1 id="title">Hello fonts</h1><p id="variable" style={{ fontFamily: "var(--font-inter)" }}>Via the variable</p><ClientText /></main>;
}
`,
  "app/client-text.tsx": `"use client";
import { Inter } from "next/font/google";

const variable = Inter({ subsets: ["latin"], fallback: ["system-ui", "Arial"] });

export function ClientText() {
  return <p id="client" className={variable.className} data-family={variable.style.fontFamily}>Client text</p>;
}
`,
  "app/fonts.ts": `import localFont from "next/font/local";

export const brand = localFont({
  src: [{ path: "./brand.woff2", weight: "700", style: "italic" }],
  variable: "--font-brand",
  display: "block",
  declarations: [{ prop: "font-feature-settings", value: "'liga' 1" }],
});
// A key or property named like the loader is not a use of it.
const loaders = { localFont: "next/font/local" };
export const loaderName = loaders.localFont;
`,
  "app/brand/page.tsx": `import { brand } from "../fonts";

export default function Brand() {
  return <p id="brand" className={brand.className} data-style={JSON.stringify(brand.style)}>Brand words</p>;
}
`,
});
// A real font file for next/font/local: Inter's latin 700 italic, from the devDependency.
copyFileSync(require.resolve("@fontsource/inter/files/inter-latin-700-italic.woff2"), join(project.root, "app/brand.woff2"));

let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  project.remove();
});

function preloads(html: string): string[] {
  return [...html.matchAll(/<link rel="preload" href="([^"]+)" as="font" crossorigin="" type="font\/woff2"\/>/g)].map((m) => m[1]!);
}

/** The page's stylesheets, as a browser asks for them (dev's Vite answers CSS only to `Accept: text/css`). */
async function stylesheets(app: TestApp, html: string): Promise<string> {
  const hrefs = [...html.matchAll(/<link rel="stylesheet"[^>]* href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
  assert.ok(hrefs.length > 0, "the page links stylesheets");
  const texts = await Promise.all(
    hrefs.map(async (href) => {
      const response = await app.fetch(href, { headers: { accept: "text/css,*/*;q=0.1" } });
      assert.equal(response.status, 200, href);
      return response.text();
    }),
  );
  return texts.join("\n");
}

async function inChromium<T>(t: TestContext, url: string, check: () => Promise<T>): Promise<T | undefined> {
  if (!(await needChromium(t))) return undefined;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  try {
    await page.goto(url);
    return await page.evaluate(check);
  } finally {
    await page.close();
  }
}

describeModes("next/font/google and next/font/local", project.root, (app, mode) => {
  test("the HTML preloads the listed subsets' files and has the class names", async () => {
    const response = await app().fetch("/");
    assert.equal(response.status, 200);
    const html = await response.text();
    const links = preloads(html);
    // 400 and 700 of the layout's font, the variable font of the Client Component: latin only.
    assert.ok(
      links.some((href) => /inter-latin-400-normal/.test(href)),
      links.join(" "),
    );
    assert.ok(
      links.some((href) => /inter-latin-700-normal/.test(href)),
      links.join(" "),
    );
    assert.ok(
      links.some((href) => /@fontsource-variable\/inter\/files\/inter-latin-wght-normal|inter-latin-wght-normal-/.test(href)),
      links.join(" "),
    );
    assert.ok(!links.some((href) => /latin-ext|cyrillic/.test(href)), "only the listed subsets");
    assert.ok(!links.some((href) => /-900-/.test(href)), "preload: false");
    assert.ok(!links.some((href) => /brand/.test(href)), "a font no part of the page uses");
    if (mode !== "dev") for (const href of links) assert.match(href, /^\/assets\/inter-latin-[\w-]+-[\w-]{8}\.woff2$/);
    assert.match(html, /<html lang="en" class="__variable_[0-9a-f]{6}">/);
    assert.match(html, /<body class="__className_[0-9a-f]{6}">/);
    assert.match(
      html,
      /<p id="client" class="__className_[0-9a-f]{6}" data-family="&#x27;__Inter_[0-9a-f]{6}&#x27;, system-ui, &#x27;Arial&#x27;">/,
    );
  });

  test("the CSS has the @font-face rules, the classes, and the files are served", async () => {
    const html = await (await app().fetch("/")).text();
    const css = await stylesheets(app(), html);
    const bodyClass = /<body class="(__className_[0-9a-f]{6})">/.exec(html)![1]!;
    const hash = bodyClass.slice("__className_".length);
    assert.match(
      css,
      new RegExp(`@font-face\\s*\\{[^}]*font-family:\\s*['"]?__Inter_${hash}['"]?;[^}]*font-display:\\s*swap;[^}]*font-weight:\\s*700`),
    );
    assert.match(css, new RegExp(`\\.${bodyClass}\\s*\\{[^}]*font-family:\\s*['"]?__Inter_${hash}`));
    assert.match(css, new RegExp(`\\.__variable_${hash}\\s*\\{[^}]*--font-inter:\\s*['"]?__Inter_${hash}`));
    const urls = [...css.matchAll(/url\(\\?["']?([^)"'\\]+\.woff2)\\?["']?\)/g)].map((m) => m[1]!);
    const latin700 = urls.find((url) => /inter-latin-700-normal/.test(url));
    assert.ok(latin700 !== undefined, urls.join(" "));
    const font = await app().fetch(latin700);
    assert.equal(font.status, 200);
    assert.equal(font.headers.get("content-type"), "font/woff2");
    assert.ok((await font.arrayBuffer()).byteLength > 1000);
    // A file no preload link names (preload: false) is in the build too: the CSS points at it.
    const black = urls.find((url) => /inter-latin-900-normal/.test(url));
    assert.ok(black !== undefined, urls.join(" "));
    assert.equal((await app().fetch(black)).status, 200);
  });

  test("a page importing a font module preloads and styles with it", async () => {
    const html = await (await app().fetch("/brand")).text();
    const links = preloads(html);
    const brand = links.find((href) => /brand/.test(href));
    assert.ok(brand !== undefined, links.join(" "));
    if (mode !== "dev") assert.match(brand, /^\/assets\/brand-[\w-]{8}\.woff2$/);
    assert.equal((await app().fetch(brand)).status, 200);
    assert.match(
      html,
      /<p id="brand" class="__className_([0-9a-f]{6})" data-style="\{&quot;fontFamily&quot;:&quot;&#x27;__brand_\1&#x27;&quot;,&quot;fontWeight&quot;:700,&quot;fontStyle&quot;:&quot;italic&quot;\}">/,
    );
    const css = await stylesheets(app(), html);
    assert.match(
      css,
      /@font-face\s*\{[^}]*font-family:\s*['"]?__brand_[0-9a-f]{6}['"]?;[^}]*font-display:\s*block;[^}]*font-style:\s*italic;[^}]*font-feature-settings:\s*['"]liga['"] 1/,
    );
  });

  test("in Chromium the elements use the faces and document.fonts loaded them", async (t) => {
    const home = await inChromium(t, `${await app().url()}/`, async () => {
      await document.fonts.ready;
      // In dev the stylesheet may follow the HTML: wait until the faces are known and loaded.
      for (let i = 0; i < 100 && ![...document.fonts].some((f) => f.status === "loaded"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await document.fonts.ready;
      }
      return {
        title: getComputedStyle(document.getElementById("title")!).fontFamily,
        variable: getComputedStyle(document.getElementById("variable")!).fontFamily,
        client: getComputedStyle(document.getElementById("client")!).fontFamily,
        loaded: [...document.fonts].filter((face) => face.status === "loaded").map((face) => `${face.family} ${face.weight} ${face.style}`),
      };
    });
    if (home === undefined) return;
    assert.match(home.title, /^"?__Inter_[0-9a-f]{6}"?$/);
    assert.equal(home.variable, home.title, "var(--font-inter) is the same family");
    assert.match(home.client, /^"?__Inter_[0-9a-f]{6}"?, system-ui, Arial$/);
    assert.notEqual(home.client.split(",")[0], home.title);
    const titleFamily = home.title.replaceAll('"', "");
    assert.ok(home.loaded.includes(`${titleFamily} 400 normal`), home.loaded.join("; "));
    assert.ok(
      home.loaded.some((face) => face.startsWith(`${home.client.split(",")[0]!.replaceAll('"', "")} 100 900`)),
      home.loaded.join("; "),
    );

    const brand = await inChromium(t, `${await app().url()}/brand`, async () => {
      for (let i = 0; i < 100 && ![...document.fonts].some((f) => f.family.startsWith("__brand_") && f.status === "loaded"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const style = getComputedStyle(document.getElementById("brand")!);
      return {
        family: style.fontFamily,
        weight: style.fontWeight,
        style: style.fontStyle,
        loaded: [...document.fonts].filter((face) => face.status === "loaded").map((face) => `${face.family} ${face.weight} ${face.style}`),
      };
    });
    assert.ok(brand !== undefined);
    assert.match(brand.family, /^"?__brand_[0-9a-f]{6}"?$/);
    assert.equal(brand.weight, "700");
    assert.equal(brand.style, "italic");
    assert.ok(brand.loaded.includes(`${brand.family.replaceAll('"', "")} 700 italic`), brand.loaded.join("; "));
  });
});

test("a bad next/font call stops the build with a TND_ERR_FONT_* code naming the file and the option", async () => {
  const layout = (head: string) => `${head}

export default function Layout({ children }: { children: React.ReactNode }) {
  return <html><body className={font.className}>{children}</body></html>;
}
`;
  const cases = [
    {
      head: `import { Roboto_Mono } from "next/font/google";\nconst font = Roboto_Mono({ subsets: ["latin"], weight: "400" });`,
      expect: [/TND_ERR_FONT_NOT_INSTALLED/, /npm install @fontsource\/roboto-mono/],
    },
    {
      head: `import { Inter } from "next/font/google";\nconst font = Inter({ subsets: ["latin"], weight: "1000" });`,
      expect: [/TND_ERR_FONT_OPTION/, /unknown weight `1000` for font `Inter`\. Available weights: `100`/],
    },
    {
      head: `import { Inter } from "next/font/google";\nconst font = Inter({ subsets: ["klingon"], weight: "400" });`,
      expect: [/TND_ERR_FONT_OPTION/, /unknown subset `klingon`/, /`latin-ext`/],
    },
    {
      head: `import { Inter } from "next/font/google";\nconst weight = "400";\nconst font = Inter({ subsets: ["latin"], weight });`,
      expect: [/TND_ERR_FONT_OPTION/, /option `weight`: font loader values must be explicitly written literals/],
    },
    {
      head: `import { Inter } from "next/font/google";\nconst font = Inter({ subsets: ["latin"], weight: "400", display: "fast" });`,
      expect: [/TND_ERR_FONT_OPTION/, /invalid display value `fast`/],
    },
    {
      head: `import { Inter } from "next/font/google";\nconst font = Inter({ subsets: ["latin"], axes: ["wdth"] });`,
      expect: [/TND_ERR_FONT_OPTION/, /invalid axes value `wdth` for font `Inter`\. Available axes: `opsz`/],
    },
    {
      head: `import localFont from "next/font/local";\nconst font = localFont({ src: "./missing.woff2" });`,
      expect: [/TND_ERR_FONT_OPTION/, /font file not found: `\.\/missing\.woff2` in `src`/],
    },
    {
      head: `import { Inter } from "next/font/google";\nfunction make() { return Inter({ subsets: ["latin"], weight: "400" }); }\nconst font = make();`,
      expect: [/TND_ERR_FONT_CALL/, /must be called and assigned to a const in the module scope/],
    },
  ];
  for (const { head, expect } of cases) {
    const broken = createProject({
      "app/layout.tsx": layout(head),
      "app/page.tsx": "export default function Page() { return <p>x</p>; }\n",
    });
    try {
      const result = await runCli(["build"], { cwd: broken.root });
      assert.notEqual(result.code, 0, head);
      const output = result.stdout + result.stderr;
      assert.match(output, /app\/layout\.tsx: /, output);
      for (const pattern of expect) assert.match(output, pattern, output);
    } finally {
      broken.remove();
    }
  }
});

test("tandem dev answers a page whose font package is missing with the error naming the package", async () => {
  const broken = createProject({
    "app/layout.tsx": `export default function Layout({ children }: { children: React.ReactNode }) {
  return <html><body>{children}</body></html>;
}
`,
    "app/page.tsx": "export default function Page() { return <p>fine</p>; }\n",
    "app/missing/page.tsx": `import { Lobster } from "next/font/google";\nconst lobster = Lobster({ subsets: ["latin"], weight: "400" });\nexport default function Page() { return <p className={lobster.className}>x</p>; }\n`,
  });
  const { createTestApp } = await import("tandem/testing");
  const dev = await createTestApp(broken.root, { mode: "dev" });
  try {
    const failed = await dev.fetch("/missing");
    assert.equal(failed.status, 500);
    assert.match(dev.output() + (await failed.text()), /app\/missing\/page\.tsx: Lobster\(\): .*npm install @fontsource\/lobster/);
  } finally {
    await dev.close();
    broken.remove();
  }
});
