// GET /: a map of the API for whoever opens the root URL.
export function GET() {
  return Response.json({
    todos: "/api/todos",
    openapi: "/openapi.json",
    reference: "/reference",
  });
}
