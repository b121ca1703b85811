import type { ReactNode } from "react";
import { isSignedIn } from "@/lib/session";
import { signOut } from "./actions";

export const metadata = {
  metadataBase: process.env.BOARD_URL ?? "http://localhost:3000",
  title: { default: "Board", template: "%s · Board" },
  description: "Boards and cards, built with Tandem: pages, an API, live updates and background jobs in one app.",
};

export default async function Layout({ children }: { children: ReactNode }) {
  const signedIn = await isSignedIn();
  return (
    <html lang="en">
      <body>
        <link rel="stylesheet" href="/styles.css" precedence="default" />
        <header className="top">
          <a href="/" className="brand">
            Board
          </a>
          {signedIn ? (
            <form action={signOut}>
              <button type="submit">Sign out</button>
            </form>
          ) : (
            <a href="/signin">Sign in</a>
          )}
        </header>
        {children}
      </body>
    </html>
  );
}
