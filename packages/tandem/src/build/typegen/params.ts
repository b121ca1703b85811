/** `[id]` -> id: string, `[...slug]` -> slug: string[], `[[...slug]]` -> slug?: string[]. */
export interface ParamField {
  name: string;
  kind: "one" | "catchAll" | "optionalCatchAll";
}

export function paramFields(pattern: string): ParamField[] {
  const fields: ParamField[] = [];
  for (const segment of pattern.split("/")) {
    let match = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(segment);
    if (match) {
      fields.push({ name: match[1]!, kind: "optionalCatchAll" });
      continue;
    }
    match = /^\[\.\.\.([^\]]+)\]$/.exec(segment);
    if (match) {
      fields.push({ name: match[1]!, kind: "catchAll" });
      continue;
    }
    match = /^\[([^\]]+)\]$/.exec(segment);
    if (match) fields.push({ name: match[1]!, kind: "one" });
  }
  return fields;
}

export function paramsType(pattern: string): string {
  const fields = paramFields(pattern).map((field) => {
    const key = JSON.stringify(field.name);
    if (field.kind === "one") return `${key}: string`;
    return field.kind === "catchAll" ? `${key}: string[]` : `${key}?: string[]`;
  });
  return fields.length === 0 ? "{}" : `{ ${fields.join("; ")} }`;
}
