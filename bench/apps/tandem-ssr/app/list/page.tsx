import { listItems } from "../../lib/items.js";
import { LikeButton } from "./like-button.js";

// Rendered on every request (the query runs each time), as the Next.js page is.
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
