import { listItems } from "../../lib/items";
import { LikeButton } from "./like-button";

// Rendered on every request (the query runs each time), as the Tandem page is.
export const dynamic = "force-dynamic";

export const metadata = { title: "List" };

export default function List() {
  const rows = listItems();
  return (
    <>
      <h1>Fifty items</h1>
      <ul id="list">
        {rows.map((row) => (
          <li key={row.id} className={row.done ? "done" : undefined}>
            {row.title}
          </li>
        ))}
      </ul>
      <LikeButton start={0} />
    </>
  );
}
