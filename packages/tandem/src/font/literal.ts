import { fontError, type FontCall } from "./fail.js";

/** The ESTree node shape this folder reads (Vite's parser gives ESTree with offsets). */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * The value of an option written as a literal. Next.js reads font options at build time, before
 * any code runs, so a variable or a call there is an error (Next.js says "Font loader values must
 * be explicitly written literals"), never a guess.
 */
export function toLiteral(call: FontCall, node: AstNode, where = ""): Literal {
  switch (node.type) {
    case "Literal": {
      const value = node.value as unknown;
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) return value;
      break;
    }
    case "TemplateLiteral": {
      const quasis = node.quasis as { value: { cooked: string } }[];
      if ((node.expressions as unknown[]).length === 0) return quasis[0]!.value.cooked;
      break;
    }
    case "UnaryExpression":
      if (node.operator === "-" && (node.argument as AstNode).type === "Literal" && typeof (node.argument as AstNode).value === "number") {
        return -((node.argument as AstNode).value as number);
      }
      break;
    case "ArrayExpression":
      return (node.elements as (AstNode | null)[]).map((element, index) => {
        if (element === null || element.type === "SpreadElement") throw notLiteral(call, `${where}[${index}]`);
        return toLiteral(call, element, `${where}[${index}]`);
      });
    case "ObjectExpression": {
      const out: Record<string, Literal> = {};
      for (const property of node.properties as AstNode[]) {
        if (property.type !== "Property" || property.computed === true || property.kind !== "init") throw notLiteral(call, where);
        const key = property.key as AstNode;
        const name = key.type === "Identifier" ? (key.name as string) : key.type === "Literal" ? String(key.value) : undefined;
        if (name === undefined) throw notLiteral(call, where);
        out[name] = toLiteral(call, property.value as AstNode, where === "" ? name : `${where}.${name}`);
      }
      return out;
    }
  }
  throw notLiteral(call, where);
}

function notLiteral(call: FontCall, where: string): Error {
  return fontError(
    call,
    "TND_ERR_FONT_OPTION",
    `${where === "" ? "the options" : `option \`${where}\``}: font loader values must be explicitly written literals (strings, numbers, booleans, arrays and objects of them), as Next.js reads them at build time`,
  );
}
