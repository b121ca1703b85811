import type { ReactNode } from "react";

export const metadata = { title: { default: "SSR bench", template: "%s | SSR bench" }, description: "Issue 3's benchmark page." };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <nav>
          <a href="/">Home</a> <a href="/list">List</a>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
