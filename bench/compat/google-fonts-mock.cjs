// Google Fonts without the network, for `next build` in the real-apps comparison (run.mjs --apps).
// Next.js reads NEXT_FONT_GOOGLE_MOCKED_RESPONSES (its own test hook) as a module mapping each
// stylesheet URL to its CSS, and reads a font file URL that starts with "/" from disk. This module
// answers every URL with @font-face rules for the family's files from the app's Fontsource
// package (the same files Tandem self-hosts), so that both builds work offline alike.
const { existsSync, readFileSync, readdirSync } = require("node:fs");
const { join } = require("node:path");

function faces(url) {
  const query = new URL(url).searchParams;
  const rules = [];
  for (const spec of query.getAll("family")) {
    const [family] = spec.split(":");
    const name = family.replaceAll("+", " ");
    const id = name.toLowerCase().replaceAll(" ", "-");
    const dirs = [`@fontsource-variable/${id}`, `@fontsource/${id}`].map((p) => join(process.cwd(), "node_modules", p));
    const dir = dirs.find((d) => existsSync(join(d, "metadata.json")));
    if (!dir) throw new Error(`google-fonts-mock: install @fontsource-variable/${id} or @fontsource/${id} in the app`);
    const unicodeFile = join(dir, "unicode.json");
    const unicode = existsSync(unicodeFile) ? JSON.parse(readFileSync(unicodeFile, "utf8")) : {};
    const variable = dir.includes("@fontsource-variable");
    for (const [subset, range] of Object.entries(unicode)) {
      const file = join(dir, "files", variable ? `${id}-${subset}-wght-normal.woff2` : `${id}-${subset}-400-normal.woff2`);
      if (!existsSync(file)) continue;
      rules.push(
        `/* ${subset} */\n@font-face {\n  font-family: '${name}';\n  font-style: normal;\n  font-weight: ${variable ? "100 900" : "400"};\n  font-display: swap;\n  src: url(${file}) format('woff2');\n  unicode-range: ${range};\n}`,
      );
    }
  }
  return rules.join("\n");
}

// Turbopack reads the module's keys rather than asking for one URL, so the keys are spelled out:
// the stylesheet URL next/font asks for when a call names no weight (the variable font) for each
// family the app has a Fontsource package of.
const mocked = {};
for (const scope of ["@fontsource-variable", "@fontsource"]) {
  const root = join(process.cwd(), "node_modules", scope);
  if (!existsSync(root)) continue;
  for (const id of readdirSync(root)) {
    const meta = JSON.parse(readFileSync(join(root, id, "metadata.json"), "utf8"));
    const family = meta.family.replaceAll(" ", "+");
    const url = `https://fonts.googleapis.com/css2?family=${family}:wght@100..900&display=swap`;
    mocked[url] ??= faces(url);
  }
}
module.exports = mocked;
