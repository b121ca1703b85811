import type { ReactNode } from "react";

export const metadata = {
  title: { default: "Notes", template: "%s · Notes" },
  description: "Notes shared live between every open window, built with Tandem.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "2rem auto", padding: "0 1rem" }}>{children}</body>
    </html>
  );
}
