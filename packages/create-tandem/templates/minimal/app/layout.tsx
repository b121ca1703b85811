import type { ReactNode } from "react";

export const metadata = {
  title: { default: "Tandem app", template: "%s · Tandem app" },
  description: "A new app built with Tandem.",
};

// The root layout renders <html> and <body>; every page renders inside it.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "2rem auto", padding: "0 1rem" }}>{children}</body>
    </html>
  );
}
