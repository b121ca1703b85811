// The `tandem/testing` entry: an app under test, in memory, under `tandem start` or under `tandem dev`.
export { createTestApp, type TestApp, type TestAppOptions, type TestMode } from "./create-test-app.js";
