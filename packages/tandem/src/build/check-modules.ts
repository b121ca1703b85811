import { readFile } from "node:fs/promises";
import { basename, relative, sep } from "node:path";
import { type Plugin, parseSync } from "vite";

// Mistakes that otherwise show up as a bare 405, an empty page, a job that never runs or a
// bundler error pointing at generated code. Found by reading each file's syntax, without running it,
// and reported as warnings naming the file, at build and in dev (on load and after every edit).

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Kind = "route" | "page" | "socket" | "job";

/** What a module exports, as far as its syntax tells: "async" functions, other "function"s, "value"s, or "unknown". */
interface Described {
  value: "async" | "function" | "value" | "unknown";
  define?: string;
}

interface Shape {
  directive: string | undefined;
  exports: Map<string, Described>;
  reexportsAll: boolean;
}

type Node = { type: string; [key: string]: unknown };

function unwrap(node: Node | null | undefined): Node | undefined {
  let current = node ?? undefined;
  while (current && /^(TSAsExpression|TSSatisfiesExpression|TSNonNullExpression|ParenthesizedExpression)$/.test(current.type)) {
    current = current.expression as Node;
  }
  return current;
}

function describe(node: Node | undefined, locals: Map<string, Node>, depth = 0): Described {
  const expr = unwrap(node);
  if (expr === undefined) return { value: "unknown" };
  if (expr.type === "FunctionDeclaration" || expr.type === "FunctionExpression" || expr.type === "ArrowFunctionExpression") {
    return { value: expr.async === true ? "async" : "function" };
  }
  if (expr.type === "CallExpression") {
    const callee = unwrap(expr.callee as Node);
    const name = callee?.type === "Identifier" ? (callee.name as string) : undefined;
    return { value: "unknown", ...(name?.startsWith("define") ? { define: name } : {}) };
  }
  if (expr.type === "Identifier" && depth < 5) {
    const local = locals.get(expr.name as string);
    return local === undefined ? { value: "unknown" } : describe(local, locals, depth + 1);
  }
  if (/Literal$|^(ObjectExpression|ArrayExpression|TemplateLiteral|ClassExpression|ClassDeclaration|NewExpression)$/.test(expr.type)) {
    return { value: "value" };
  }
  return { value: "unknown" };
}

function shapeOf(file: string, code: string): Shape | undefined {
  const { program, errors } = parseSync(file, code);
  // A syntax error is Vite's to report, with its own code frame.
  if (errors.length > 0) return undefined;
  const body = program.body as unknown as Node[];
  const locals = new Map<string, Node>();
  const declare = (statement: Node) => {
    if (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") {
      const id = statement.id as Node | null;
      if (id) locals.set(id.name as string, statement);
    }
    if (statement.type === "VariableDeclaration") {
      for (const d of statement.declarations as Node[]) {
        const id = d.id as Node;
        if (id.type === "Identifier") locals.set(id.name as string, (d.init as Node | null) ?? { type: "Unknown" });
      }
    }
  };
  for (const statement of body)
    declare(statement.type === "ExportNamedDeclaration" && statement.declaration ? (statement.declaration as Node) : statement);
  const first = body[0];
  const shape: Shape = {
    directive: first?.type === "ExpressionStatement" && typeof first.directive === "string" ? first.directive : undefined,
    exports: new Map(),
    reexportsAll: false,
  };
  for (const statement of body) {
    if (statement.type === "ExportAllDeclaration") {
      if (statement.exportKind !== "type") shape.reexportsAll = true;
    } else if (statement.type === "ExportDefaultDeclaration") {
      shape.exports.set("default", describe(statement.declaration as Node, locals));
    } else if (statement.type === "ExportNamedDeclaration" && statement.exportKind !== "type") {
      const declaration = statement.declaration as Node | null;
      if (declaration?.type === "FunctionDeclaration" || declaration?.type === "ClassDeclaration") {
        shape.exports.set((declaration.id as Node).name as string, describe(declaration, locals));
      } else if (declaration?.type === "VariableDeclaration") {
        for (const d of declaration.declarations as Node[]) {
          const id = d.id as Node;
          if (id.type === "Identifier") shape.exports.set(id.name as string, describe(d.init as Node, locals));
          // `export const { GET, POST } = handlers` (Auth.js): names bound from a value unseen here.
          else for (const name of boundNames(id)) shape.exports.set(name, { value: "unknown" });
        }
      }
      for (const specifier of (statement.specifiers as Node[] | undefined) ?? []) {
        if (specifier.exportKind === "type") continue;
        const exported = specifier.exported as Node;
        const name = (exported.name ?? exported.value) as string;
        const local = specifier.local as Node;
        // `export { x } from "./y"` names another module's binding: nothing to tell from here.
        shape.exports.set(name, statement.source ? { value: "unknown" } : describe(local, locals));
      }
    }
  }
  return shape;
}

/** The names a destructuring pattern binds: `{ a, b: c, ...d }` binds a, c and d; `[e, [f]]` e and f. */
function boundNames(pattern: Node | null): string[] {
  if (pattern === null) return [];
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name as string];
    case "ObjectPattern":
      return (pattern.properties as Node[]).flatMap((p) => boundNames((p.type === "RestElement" ? p.argument : p.value) as Node));
    case "ArrayPattern":
      return (pattern.elements as (Node | null)[]).flatMap((e) => boundNames(e));
    case "RestElement":
      return boundNames(pattern.argument as Node);
    case "AssignmentPattern":
      return boundNames(pattern.left as Node);
    default:
      return [];
  }
}

/** The HTTP methods a route module exports, from its source. */
export function exportedMethods(file: string, code: string): string[] {
  const shape = shapeOf(file, code);
  if (shape === undefined) return [];
  return METHODS.filter((method) => shape.exports.has(method));
}

/** Which convention a file follows, by its place in the project; undefined for any other module. */
export function kindOf(file: string, root: string): Kind | undefined {
  const rel = relative(root, file).split(sep).join("/");
  if (rel.startsWith("..") || rel.includes("node_modules/")) return undefined;
  if (/^jobs\/[a-z0-9][a-z0-9-_]*\.(ts|js|mts|mjs)$/i.test(rel) && !/\.(d|test)\./.test(rel)) return "job";
  if (!/^(src\/)?app\//.test(rel) || rel.split("/").some((part) => part.startsWith("_"))) return undefined;
  const name = basename(rel);
  if (/^route\.(ts|js|tsx|jsx|mjs)$/.test(name)) return "route";
  if (/^page\.(tsx|jsx|ts|js)$/.test(name)) return "page";
  if (/^socket\.(ts|js)$/.test(name)) return "socket";
  return undefined;
}

/** Warnings for one module; `kind` from kindOf, or undefined for a module that is only checked for "use server". */
export function checkModule(file: string, code: string, kind: Kind | undefined, show = file): string[] {
  if (kind === undefined && !/^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(code)) return [];
  const shape = shapeOf(file, code);
  if (shape === undefined) return [];
  const warnings: string[] = [];
  const names = [...shape.exports.keys()];
  if (kind === "route") {
    for (const name of names) {
      const upper = name.toUpperCase();
      if (name !== upper && (METHODS as readonly string[]).includes(upper)) {
        warnings.push(`${show} exports "${name}"; HTTP method handlers are uppercase: export function ${upper}(request) { ... }`);
      }
    }
    if (!shape.reexportsAll && !METHODS.some((method) => shape.exports.has(method)) && warnings.length === 0) {
      warnings.push(
        `${show} exports no HTTP method handler, so every request to it answers 405; export one, e.g. export function GET(request) { ... }`,
      );
    }
  }
  if (kind === "page" && !shape.exports.has("default") && !shape.reexportsAll) {
    warnings.push(`${show} has no default export, so the page renders nothing; export default function Page() { ... }`);
  }
  if (kind === "socket" || kind === "job") {
    const define = kind === "socket" ? "defineSocket" : "defineJob";
    const from = kind === "socket" ? "tandem/realtime" : "tandem/jobs";
    const entry = shape.exports.get("default");
    if (entry === undefined && !shape.reexportsAll) {
      warnings.push(
        `${show} has no default export, so it ${kind === "socket" ? "accepts no connection" : "is not registered as a job"}; export default ${define}({ ... }) from "${from}"`,
      );
    } else if (entry !== undefined && entry.value !== "unknown") {
      warnings.push(`${show}: the default export must be the result of ${define}({ ... }) from "${from}"`);
    }
  }
  if (shape.directive === "use server") {
    for (const [name, entry] of shape.exports) {
      if (entry.value === "function" || entry.value === "value") {
        const what = entry.value === "function" ? "a function that is not async" : "a value that is not an async function";
        warnings.push(
          `${show} is a "use server" file but exports ${what} ("${name}"); a Server Action file may only export async functions`,
        );
      }
    }
  }
  return warnings;
}

/**
 * The job files with a default export; the others are left out of the server entry (with a warning)
 * so that one bad job file does not fail the whole build with a bundler error about generated code.
 */
export async function jobsWithDefault<T extends { file: string }>(jobs: T[], root: string, warn: (message: string) => void): Promise<T[]> {
  const kept: T[] = [];
  for (const job of jobs) {
    const code = await readFile(job.file, "utf8");
    const shape = shapeOf(job.file, code);
    if (shape !== undefined && !shape.exports.has("default") && !shape.reexportsAll) {
      for (const message of checkModule(job.file, code, "job", show(root, job.file))) report(warn, job.file, message);
      continue;
    }
    kept.push(job);
  }
  return kept;
}

const show = (root: string, file: string) => relative(root, file).split(sep).join("/");

// Environments (rsc, ssr, client) and repeated loads see the same module: say each thing once.
const reported = new Map<string, string>();
function report(warn: (message: string) => void, file: string, message: string): void {
  const key = `${file}\0${message}`;
  if (reported.has(key)) return;
  reported.set(key, message);
  warn(message);
}

/** Runs checkModule on every module Vite loads from the project, before any other transform. */
export function checksPlugin(root: string): Plugin {
  return {
    name: "tandem:checks",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?")[0]!;
      if (!/\.(m?[jt]sx?)$/.test(file) || file.includes("/node_modules/") || file.startsWith("\0")) return;
      const kind = kindOf(file, root);
      const messages = checkModule(file, code, kind, show(root, file));
      // A fixed file may break again later: forget what was said about it.
      for (const key of reported.keys()) if (key.startsWith(`${file}\0`) && !messages.includes(reported.get(key)!)) reported.delete(key);
      for (const message of messages) report((m) => this.warn(m), file, message);
    },
  };
}
