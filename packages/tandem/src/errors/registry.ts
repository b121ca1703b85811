import { afterErrors } from "./after.js";
import { apiErrors } from "./api.js";
import { coreErrors } from "./core.js";
import { fontErrors } from "./font.js";
import { imageErrors } from "./image.js";
import { jobsErrors } from "./jobs.js";
import { ogErrors } from "./og.js";
import { pagesErrors } from "./pages.js";
import { realtimeErrors } from "./realtime.js";
import { routerErrors } from "./router.js";
import { serverErrors } from "./server.js";

export const errorRegistry = {
  ...coreErrors,
  ...routerErrors,
  ...serverErrors,
  ...realtimeErrors,
  ...jobsErrors,
  ...apiErrors,
  ...pagesErrors,
  ...fontErrors,
  ...imageErrors,
  ...ogErrors,
  ...afterErrors,
} as const;

export type ErrorCode = keyof typeof errorRegistry;
