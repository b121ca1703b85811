import { SignInForm } from "@/components/sign-in-form";

export const metadata = { title: "Sign in", robots: { index: false } };

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main>
      <h1>Sign in</h1>
      <p>
        Enter the board token (<code>dev-token</code> unless <code>BOARD_TOKEN</code> is set).
      </p>
      <SignInForm next={next?.startsWith("/") && !next.startsWith("//") ? next : "/"} />
    </main>
  );
}
