// Type tests, checked only by `tsc -p packages/tandem --noEmit` (part of `npm test`), never run:
// enqueue takes the schema's input type and get() returns the run's result type.
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { defineJob, type JobRecord, type RunContext } from "tandem/jobs";

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

export function enqueueAndGetTypes() {
  // Input type: format may be omitted (it has a default), boardId may not.
  expectTypeOf(exportJob.enqueue).parameter(0).toEqualTypeOf<{ boardId: string; format?: "csv" | "json" | undefined }>();
  // @ts-expect-error boardId is required
  void (() => exportJob.enqueue({ format: "csv" }));
  // @ts-expect-error format must be csv or json
  void (() => exportJob.enqueue({ boardId: "b", format: "xml" }));
  expectTypeOf(exportJob.enqueue).returns.resolves.toEqualTypeOf<{ id: string }>();
  expectTypeOf(exportJob.get).returns.resolves.toEqualTypeOf<JobRecord<{ rows: number }> | null>();
  expectTypeOf(untyped.enqueue).parameter(0).toBeUnknown();
}
