import { greet } from "@/lib/greeting";

// A Server Component: it runs on the server for every request, so it can read data directly.
export default async function Home() {
  const { message, at } = greet("world");
  return (
    <main>
      <h1>{message}</h1>
      <p>
        Rendered on the server at <time dateTime={at}>{at}</time>. Edit <code>app/page.tsx</code> and reload.
      </p>
      <p>
        The same greeting as JSON: <a href="/api/hello?name=Tandem">/api/hello?name=Tandem</a>
      </p>
    </main>
  );
}
