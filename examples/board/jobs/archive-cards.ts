import type { StandardSchemaV1 } from "@standard-schema/spec";
import { defineJob } from "tandem/jobs";
import { db } from "@/lib/db";

interface ArchivePayload {
  olderThanDays: number;
}

const schema: StandardSchemaV1<Partial<ArchivePayload>, ArchivePayload> = {
  "~standard": {
    version: 1,
    vendor: "board",
    validate(value) {
      const days = (value as Partial<ArchivePayload> | null)?.olderThanDays ?? 90;
      if (!Number.isInteger(days) || days < 1 || days > 3650) {
        return { issues: [{ message: "olderThanDays must be an integer from 1 to 3650.", path: ["olderThanDays"] }] };
      }
      return { value: { olderThanDays: days } };
    },
  },
};

db.exec(`CREATE TABLE IF NOT EXISTS archived_cards (
  id TEXT PRIMARY KEY, board_id TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
  position INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, archived_at TEXT NOT NULL
)`);
const copy = db.prepare(`INSERT OR IGNORE INTO archived_cards
  SELECT id, board_id, title, body, position, created_at, updated_at, ? FROM cards WHERE updated_at < ?`);
const remove = db.prepare("DELETE FROM cards WHERE updated_at < ?");

/** Every night at 03:00, cards untouched for 90 days move to archived_cards (one transaction: none lost, none doubled). */
export default defineJob({
  schema,
  schedule: "0 3 * * *",
  schedulePayload: { olderThanDays: 90 },
  async run({ olderThanDays }, ctx) {
    const cutoff = new Date(Date.now() - olderThanDays * 86_400_000).toISOString();
    const archived = db.transaction(() => {
      copy.run(new Date().toISOString(), cutoff);
      return remove.run(cutoff).changes;
    })();
    await ctx.log(`archived ${archived} card(s) last updated before ${cutoff}`);
    return { archived, cutoff };
  },
});
