import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { defineJob } from "tandem/jobs";
import { getBoard, listCards, type Card } from "@/lib/boards";

interface ExportInput {
  boardId: string;
  format?: "csv" | "json";
}
interface ExportPayload {
  boardId: string;
  format: "csv" | "json";
}

/** A Standard Schema written out by hand: the example app keeps its dependencies to Tandem itself. */
const schema: StandardSchemaV1<ExportInput, ExportPayload> = {
  "~standard": {
    version: 1,
    vendor: "board",
    validate(value) {
      const input = value as Partial<ExportInput> | null;
      if (typeof input !== "object" || input === null) return { issues: [{ message: "Expected an object." }] };
      if (typeof input.boardId !== "string" || input.boardId.length === 0 || input.boardId.length > 100) {
        return { issues: [{ message: "boardId must be a non-empty string.", path: ["boardId"] }] };
      }
      const format = input.format ?? "csv";
      if (format !== "csv" && format !== "json") return { issues: [{ message: 'format must be "csv" or "json".', path: ["format"] }] };
      return { value: { boardId: input.boardId, format } };
    },
  },
};

export const EXPORT_DIR = resolve(process.env.BOARD_EXPORTS ?? ".data/exports");
/** At most this many progress steps, at least one card each: a 4-card board moves 25, 50, 75, 100. */
const STEPS = 20;
/**
 * A pause between steps (BOARD_EXPORT_STEP_MS, default 150 ms): writing a small board takes a
 * millisecond, and the demo is the progress bar. A real export job would do without it.
 */
const STEP_MS = Number(process.env.BOARD_EXPORT_STEP_MS ?? 150);

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvRow = (card: Card) => [card.id, card.title, card.body, card.position, card.createdAt, card.updatedAt].map(csvField).join(",");

/**
 * Writes a board's cards to .data/exports/<job id>.<format> in chunks, reporting progress after
 * each chunk and yielding to the event loop so the web side stays responsive. The file appears
 * under its final name only when complete (written to a .part file, then renamed).
 */
export default defineJob({
  schema,
  retries: { attempts: 3, backoff: "exponential", delay: 2000 },
  timeout: 10 * 60_000,
  concurrency: 2,
  async run({ boardId, format }, ctx) {
    const board = getBoard(boardId);
    if (!board) throw new Error(`Board ${boardId} no longer exists.`);
    const cards = listCards(boardId);
    await mkdir(EXPORT_DIR, { recursive: true });
    const file = join(EXPORT_DIR, `${ctx.id}.${format}`);
    const part = `${file}.part`;
    const out = createWriteStream(part);
    const write = (text: string) => new Promise<void>((done, fail) => out.write(text, (error) => (error ? fail(error) : done())));
    try {
      await write(format === "csv" ? "id,title,body,position,createdAt,updatedAt\n" : `{"board":${JSON.stringify(board)},"cards":[`);
      const size = Math.max(1, Math.ceil(cards.length / STEPS));
      for (let i = 0; i < cards.length; i += size) {
        ctx.signal.throwIfAborted();
        const chunk = cards.slice(i, i + size);
        await write(
          format === "csv"
            ? chunk.map(csvRow).join("\n") + "\n"
            : (i === 0 ? "" : ",") + chunk.map((card) => JSON.stringify(card)).join(","),
        );
        await ctx.progress(Math.round(((i + chunk.length) / cards.length) * 100), `${i + chunk.length} of ${cards.length} cards`);
        await new Promise((done) => (STEP_MS > 0 ? setTimeout(done, STEP_MS) : setImmediate(done)));
      }
      if (format === "json") await write("]}");
      await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
      await rename(part, file);
    } catch (error) {
      out.destroy();
      await rm(part, { force: true });
      throw error;
    }
    await ctx.log(`exported ${cards.length} cards of "${board.title}" as ${format}`);
    return { file: `${ctx.id}.${format}`, format, cards: cards.length };
  },
});
