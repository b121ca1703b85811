// A 50-route table shaped like a real app (static pages, REST resources, catch-alls) and a mix of
// paths that hit and miss it, for the router suite (suites/router.mjs, lib/router-measure.mjs).
const resources = ["boards", "cards", "users", "teams", "projects", "invoices", "comments", "files"];

export const benchPatterns = [
  "/",
  "/about",
  "/pricing",
  "/blog",
  "/blog/[slug]",
  "/docs/[[...slug]]",
  "/login",
  "/logout",
  "/settings",
  "/settings/profile",
  ...resources.flatMap((r) => [`/api/${r}`, `/api/${r}/[id]`, `/api/${r}/[id]/history`, `/app/${r}`, `/app/${r}/[id]`]),
];

export const benchPaths = [
  "/",
  "/about",
  "/pricing/",
  "/blog/hello-world",
  "/docs/guide/routing/groups",
  "/docs",
  "/api/boards",
  "/api/boards/123",
  "/api/cards/abc/history",
  "/app/users/42",
  "/app/teams/7/",
  "/api/invoices/2026-001",
  "/api/files/report%20final.pdf",
  "/settings/profile",
  "/nope",
  "/api/unknown/1",
  "/app/boards/1/2",
];
