// tandem dev's lines: time, level, message, the other fields, and an error's stack below.
const NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const COLORS: Record<number, string> = { 10: "90", 20: "90", 30: "32", 40: "33", 50: "31", 60: "35" };
const OMIT = new Set(["level", "time", "pid", "hostname", "msg", "err"]);

/** One pino JSON line as a readable one; a line that is not JSON passes through. */
export function formatPretty(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof entry.level === "number" ? entry.level : 30;
  const time = new Date(typeof entry.time === "number" ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const color = process.stdout.isTTY ? (text: string) => `\x1b[${COLORS[level] ?? "0"}m${text}\x1b[0m` : (text: string) => text;
  const extras = Object.entries(entry)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err === undefined ? "" : `\n${err.stack ?? err.message ?? ""}`;
  return `${time} ${color(NAMES[level] ?? String(level))} ${String(entry.msg ?? "")}${extras ? ` ${extras}` : ""}${stack}\n`;
}
