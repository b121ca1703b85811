import { notFound } from "tandem/server";
import { getBoard, listCards } from "@/lib/boards";
import { isSignedIn } from "@/lib/session";
import { LiveCards } from "@/components/live-cards";
import { NewCardForm } from "@/components/new-card-form";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  const board = getBoard(id);
  if (board === undefined) return { title: "Board not found" };
  const description = `${listCards(id).length} cards on “${board.title}”.`;
  return {
    title: board.title,
    description,
    alternates: { canonical: `/boards/${id}` },
    openGraph: { title: board.title, description, type: "website", url: `/boards/${id}` },
    twitter: { card: "summary" as const, title: board.title, description },
  };
}

export default async function BoardPage({ params }: Props) {
  const { id } = await params;
  const board = getBoard(id) ?? notFound();
  const signedIn = await isSignedIn();
  return (
    <main>
      <h1>{board.title}</h1>
      <LiveCards boardId={board.id} initial={listCards(board.id)} canEdit={signedIn} />
      {signedIn ? (
        <NewCardForm boardId={board.id} />
      ) : (
        <p>
          <a href="/signin">Sign in</a> to edit this board.
        </p>
      )}
    </main>
  );
}
