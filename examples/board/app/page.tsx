import { listBoards, listCards } from "@/lib/boards";
import { isSignedIn } from "@/lib/session";
import { NewBoardForm } from "@/components/new-board-form";

export default async function Home() {
  const boards = listBoards();
  const signedIn = await isSignedIn();
  return (
    <main>
      <h1>Boards</h1>
      <ul className="boards">
        {boards.map((board) => (
          <li key={board.id}>
            <a href={`/boards/${board.id}`}>{board.title}</a> <small>{listCards(board.id).length} cards</small>
          </li>
        ))}
      </ul>
      {signedIn ? (
        <NewBoardForm />
      ) : (
        <p>
          <a href="/signin">Sign in</a> to add boards and cards.
        </p>
      )}
    </main>
  );
}
