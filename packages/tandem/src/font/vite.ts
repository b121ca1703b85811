import { init, parse } from "es-module-lexer";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import MagicString from "magic-string";
import { parseAstAsync, type Plugin } from "vite";
import { toFontCss } from "./css.js";
import { fontError, type FontCall } from "./fail.js";
import { defineGoogleFont } from "./google.js";
import { toLiteral, type AstNode } from "./literal.js";
import { defineLocalFont } from "./local.js";
import type { FontDefinition } from "./types.js";

const GOOGLE = "next/font/google";
const LOCAL = "next/font/local";
const CSS_PREFIX = "virtual:tandem/font/";
const RUNTIME_ID = "virtual:tandem/font-runtime";
/** An empty stylesheet: importing it marks a Server Component file as one with CSS (see below). */
const MARKER = `${CSS_PREFIX}imports-fonts.css`;

/**
 * The value a call returns. Reading `className`, `style` or `variable` while React renders
 * preloads the font's files (ReactDOM.preload, which React puts in the document's head), so the
 * fonts a page's Server or Client Components use are preloaded, as Next.js preloads those of a
 * page's and layouts' imports.
 */
const RUNTIME = `import { preload } from "react-dom";
export function defineFont(value, files) {
  const load = () => {
    for (const [href, type] of files) preload(href, { as: "font", type, crossOrigin: "" });
  };
  const font = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(font, key, { enumerable: true, get: () => (load(), value[key]) });
  }
  return Object.freeze(font);
}
`;

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 6);
}

/** The identifiers that refer to a binding: not `x.Inter`, `{ Inter: 1 }` or a label. */
function* references(node: unknown, parent?: AstNode, key?: string): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const item of node) yield* references(item, parent, key);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const current = node as AstNode;
  if (current.type === "Identifier") {
    const named =
      (parent?.type === "MemberExpression" && key === "property" && parent.computed !== true) ||
      ((parent?.type === "Property" || parent?.type === "MethodDefinition" || parent?.type === "PropertyDefinition") &&
        key === "key" &&
        parent.computed !== true &&
        parent.shorthand !== true);
    if (!named) yield current;
    return;
  }
  for (const [name, value] of Object.entries(current)) {
    if (typeof value === "object") yield* references(value, current, name);
  }
}

/** Whether a module the file imports directly calls a font loader. */
async function importsFonts(code: string, id: string, resolve: (specifier: string) => Promise<{ id: string } | null>): Promise<boolean> {
  // A directive must stay first, and neither kind of file is wrapped by plugin-rsc anyway.
  if (/^\s*(["'])use (client|server)\1/.test(code)) return false;
  await init;
  let imports: ReturnType<typeof parse>[0];
  try {
    [imports] = parse(code, id);
  } catch {
    return false;
  }
  for (const entry of imports) {
    if (entry.type !== "static" || entry.typeOnly || entry.specifier === undefined || entry.specifier.startsWith("node:")) continue;
    const resolved = await resolve(entry.specifier);
    const file = resolved?.id.split("?")[0];
    if (file === undefined || file.startsWith("\0") || file.includes("/node_modules/") || !/\.[cm]?[jt]sx?$/.test(file)) continue;
    const source = await readFile(file, "utf8").catch(() => "");
    if (source.includes("next/font/")) return true;
  }
  return false;
}

interface Loader {
  kind: "google" | "local";
  /** The font's export name for google (`Inter`), the import's local name for local. */
  name: string;
}

/**
 * next/font/google and next/font/local as Next.js compiles them: each call at module top level
 * becomes its value, an import of its generated stylesheet (`@font-face`, the class, the variable
 * class; Vite copies the font files into the build with hashed names) and `?url` imports of the
 * files to preload. The options are read from the source, so a bad one stops the build.
 */
export function tandemFonts(): Plugin {
  let root = process.cwd();
  const stylesheets = new Map<string, string>();
  return {
    name: "tandem:fonts",
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      // The stylesheets keep their query: dev's Vite asks for `?direct` when a <link> loads one.
      if (id === RUNTIME_ID || (id.startsWith(CSS_PREFIX) && id.split("?")[0]!.endsWith(".css"))) return "\0" + id;
      // Reached only when the transform did not see the import (it removes them all): say why.
      if (id === GOOGLE || id === LOCAL) return "\0" + id;
      return undefined;
    },
    load(id) {
      if (id === "\0" + RUNTIME_ID) return RUNTIME;
      if (id.startsWith("\0" + CSS_PREFIX)) {
        const path = id.split("?")[0]!;
        if (path === "\0" + MARKER) return "";
        const css = stylesheets.get(path.slice(1 + CSS_PREFIX.length, -".css".length));
        if (css === undefined)
          this.error(`tandem: the font stylesheet ${id.slice(1)} is gone; its module was not compiled in this process`);
        return css;
      }
      if (id === "\0" + GOOGLE || id === "\0" + LOCAL) {
        throw fontError(
          { file: "the app", loader: id.slice(1) },
          "TND_ERR_FONT_CALL",
          "font loaders must be imported in the app's source and called at module top level, as Next.js requires",
        );
      }
      return undefined;
    },
    async transform(code, id) {
      if (id.startsWith("\0") || id.includes("/node_modules/")) return undefined;
      if (!code.includes("next/font/")) {
        // plugin-rsc adds a Server Component file's stylesheets to the page only when the file itself
        // imports CSS; it then adds those of all it imports. A layout that imports `app/fonts.ts`
        // (the usual Next.js layout) imports no CSS itself: the marker makes it one that does.
        if (this.environment?.name !== "rsc" || !/\.(jsx?|tsx)$/.test(id.split("?")[0]!)) return undefined;
        if (!(await importsFonts(code, id, (specifier) => this.resolve(specifier, id)))) return undefined;
        const marked = new MagicString(code).prepend(`import ${JSON.stringify(MARKER)};\n`);
        return { code: marked.toString(), map: marked.generateMap({ hires: "boundary", source: id, includeContent: true }) };
      }
      const file = id.split("?")[0]!;
      let ast: AstNode;
      try {
        ast = (await parseAstAsync(code)) as unknown as AstNode;
      } catch {
        return undefined; // Not JavaScript: nothing of ours.
      }
      const rel = relative(root, file).split("\\").join("/");
      const loaders = new Map<string, Loader>();
      const out = new MagicString(code);
      const body = ast.body as AstNode[];
      for (const statement of body) {
        if (statement.type !== "ImportDeclaration") continue;
        const source = (statement.source as AstNode).value;
        if (source !== GOOGLE && source !== LOCAL) continue;
        if (statement.importKind === "type") {
          out.remove(statement.start, statement.end);
          continue;
        }
        for (const specifier of statement.specifiers as AstNode[]) {
          const local = (specifier.local as AstNode).name as string;
          const call: FontCall = { file: rel, loader: local };
          if (source === GOOGLE) {
            if (specifier.type !== "ImportSpecifier")
              throw fontError(
                call,
                "TND_ERR_FONT_CALL",
                `next/font/google fonts must be imported by name: import { Inter } from "next/font/google"`,
              );
            if (specifier.importKind === "type") continue;
            const imported = specifier.imported as AstNode;
            loaders.set(local, { kind: "google", name: (imported.name ?? imported.value) as string });
          } else {
            if (specifier.type !== "ImportDefaultSpecifier")
              throw fontError(
                call,
                "TND_ERR_FONT_CALL",
                `next/font/local is imported as the default: import localFont from "next/font/local"`,
              );
            loaders.set(local, { kind: "local", name: local });
          }
        }
        out.remove(statement.start, statement.end);
      }
      if (loaders.size === 0 && !out.hasChanged()) return undefined;

      // Every use of a loader must be `const x = Loader({...})` at module top level, as Next.js requires.
      const handled = new Set<AstNode>();
      const header: string[] = [];
      let index = 0;
      for (const statement of body) {
        const declaration = statement.type === "ExportNamedDeclaration" ? (statement.declaration as AstNode | null) : statement;
        if (declaration?.type !== "VariableDeclaration") continue;
        for (const declarator of declaration.declarations as AstNode[]) {
          const init = declarator.init as AstNode | null;
          if (init?.type !== "CallExpression") continue;
          const callee = init.callee as AstNode;
          const loader = callee.type === "Identifier" ? loaders.get(callee.name as string) : undefined;
          if (loader === undefined) continue;
          const target = declarator.id as AstNode;
          const call: FontCall = { file: rel, loader: callee.name as string };
          if (declaration.kind !== "const" || target.type !== "Identifier") {
            throw fontError(call, "TND_ERR_FONT_CALL", "font loader calls must be assigned to a const (const inter = Inter({ ... }))");
          }
          const args = init.arguments as AstNode[];
          if (args.length > 1) throw fontError(call, "TND_ERR_FONT_OPTION", "a font loader takes one options object");
          const argument = args[0] === undefined ? undefined : toLiteral(call, args[0]);
          const definition: FontDefinition =
            loader.kind === "google"
              ? defineGoogleFont({ ...call, loader: loader.name }, root, argument)
              : defineLocalFont(call, file, target.name as string, argument);
          const hash = hashOf(`${rel}\0${index}\0${JSON.stringify(argument)}`);
          const { css, value } = toFontCss(definition, hash);
          stylesheets.set(hash, css);
          header.push(`import ${JSON.stringify(`${CSS_PREFIX}${hash}.css`)};`);
          const files = definition.preload.map((entry, n) => {
            const name = `__tandem_font_${index}_${n}`;
            header.push(`import ${name} from ${JSON.stringify(`${entry.file}?url`)};`);
            return `[${name}, ${JSON.stringify(entry.type)}]`;
          });
          out.overwrite(init.start, init.end, `__tandemDefineFont(${JSON.stringify(value)}, [${files.join(", ")}])`);
          handled.add(callee);
          index++;
        }
      }
      for (const node of references(body)) {
        if (loaders.has(node.name as string) && !handled.has(node)) {
          const isImport = body.some((s) => s.type === "ImportDeclaration" && s.start <= node.start && node.end <= s.end);
          if (isImport) continue;
          throw fontError(
            { file: rel, loader: node.name as string },
            "TND_ERR_FONT_CALL",
            "font loaders must be called and assigned to a const in the module scope (const inter = Inter({ ... })), as Next.js requires",
          );
        }
      }
      if (index > 0) header.unshift(`import { defineFont as __tandemDefineFont } from ${JSON.stringify(RUNTIME_ID)};`);
      // After the directives: "use client" must stay the module's first statement.
      let directives = 0;
      while (body[directives]?.type === "ExpressionStatement" && typeof body[directives]!.directive === "string") directives++;
      if (directives === 0) out.prepend(`${header.join("\n")}\n`);
      else out.appendLeft(body[directives - 1]!.end, `\n${header.join("\n")}\n`);
      return { code: out.toString(), map: out.generateMap({ hires: "boundary", source: id, includeContent: true }) };
    },
  };
}
