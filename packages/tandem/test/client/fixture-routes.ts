// The fixture app's route modules by pattern, for the in-process servers of test/api/harness.ts:
// the typed client's tests and defineHandler's run against the same routes.
import * as about from "./fixtures/app/(marketing)/about/route.js";
import * as boardsRoute from "./fixtures/app/api/boards/route.js";
import * as boardRoute from "./fixtures/app/api/boards/[id]/route.js";
import * as attachmentsRoute from "./fixtures/app/api/boards/[id]/attachments/route.js";
import * as filesRoute from "./fixtures/app/api/files/[...path]/route.js";
import * as searchRoute from "./fixtures/app/api/search/[[...terms]]/route.js";

export const FIXTURE_ROUTES = {
  "/about": about,
  "/api/boards": boardsRoute,
  "/api/boards/[id]": boardRoute,
  "/api/boards/[id]/attachments": attachmentsRoute,
  "/api/files/[...path]": filesRoute,
  "/api/search/[[...terms]]": searchRoute,
};
