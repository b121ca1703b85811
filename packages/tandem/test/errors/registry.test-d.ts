// Type tests, checked only by `tsc -p packages/tandem --noEmit` (part of `npm test`), never run.
import { expectTypeOf } from "expect-type";
import type { errorRegistry } from "../../src/errors/registry.js";
import type { ErrorCode } from "tandem/server";

// The ErrorCode type is exactly the registry's keys.
expectTypeOf<ErrorCode>().toEqualTypeOf<keyof typeof errorRegistry>();
expectTypeOf<"TND_ERR_NOT_FOUND">().toExtend<ErrorCode>();
