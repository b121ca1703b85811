// Reads the API the same way any client would; no build step for this static page.
const root = document.getElementById("boards");

function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function show() {
  const boards = await (await fetch("/api/boards")).json();
  root.replaceChildren();
  for (const summary of boards) {
    const board = await (await fetch(`/api/boards/${encodeURIComponent(summary.id)}`)).json();
    const section = el("section");
    section.append(el("h2", board.title));
    const list = el("ol");
    for (const card of board.cards) {
      const item = el("li");
      item.append(el("strong", card.title));
      if (card.body) item.append(el("p", card.body));
      list.append(item);
    }
    section.append(list);
    root.append(section);
  }
}

show().catch((error) => { root.textContent = `Could not load boards: ${error.message}`; });
