// Type tests: tsc checks them (npm test runs tsc over test/); the runtime part only asserts they loaded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { defineJob } from "../../src/jobs/define.js";
import type { JobRecord, RunContext } from "../../src/jobs/types.js";

const exportJob = defineJob({
  name: "types-export",
  schema: z.object({ boardId: z.string(), format: z.enum(["csv", "json"]).default("csv") }),
  run(payload, ctx) {
    expectTypeOf(payload).toEqualTypeOf<{ boardId: string; format: "csv" | "json" }>();
    expectTypeOf(ctx).toEqualTypeOf<RunContext>();
    return { rows: 1 };
  },
});

const untyped = defineJob({
  name: "types-untyped",
  run: (payload) => {
    expectTypeOf(payload).toBeUnknown();
  },
});

test("enqueue takes the schema's input type and get() returns the run's result type", () => {
  // Input type: format may be omitted (it has a default), boardId may not.
  expectTypeOf(exportJob.enqueue).parameter(0).toEqualTypeOf<{ boardId: string; format?: "csv" | "json" | undefined }>();
  // @ts-expect-error boardId is required
  void (() => exportJob.enqueue({ format: "csv" }));
  // @ts-expect-error format must be csv or json
  void (() => exportJob.enqueue({ boardId: "b", format: "xml" }));
  expectTypeOf(exportJob.enqueue).returns.resolves.toEqualTypeOf<{ id: string }>();
  expectTypeOf(exportJob.get).returns.resolves.toEqualTypeOf<JobRecord<{ rows: number }> | null>();
  expectTypeOf(untyped.enqueue).parameter(0).toBeUnknown();
  assert.equal(exportJob.name, "types-export");
});
