import { redirect } from "tandem/server";

// The board UI is a static page in public/ until it moves to Server Components.
export function GET() {
  redirect("/index.html");
}
