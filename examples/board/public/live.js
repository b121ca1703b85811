// A browser's own WebSocket on the board's socket.ts route, no build step. On every (re)connect
// the server sends a snapshot, so changes missed while disconnected are never lost for good.
const boardId = new URLSearchParams(location.search).get("board") ?? "welcome";
const list = document.getElementById("cards");
const status = document.getElementById("status");
const cards = new Map();
let attempt = 0;

function render() {
  const sorted = [...cards.values()].sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt));
  list.replaceChildren(
    ...sorted.map((card) => {
      const item = document.createElement("li");
      item.dataset.id = card.id;
      item.textContent = card.title;
      return item;
    }),
  );
}

function apply(message) {
  if (message.type === "snapshot") {
    cards.clear();
    for (const card of message.cards) cards.set(card.id, card);
  } else if (message.type === "$topic") {
    const event = message.data;
    if (event.type === "card.deleted") cards.delete(event.cardId);
    else cards.set(event.card.id, event.card);
  } else {
    return;
  }
  render();
}

function connect() {
  const ws = new WebSocket(new URL(`/api/boards/${encodeURIComponent(boardId)}`, location.href.replace(/^http/, "ws")));
  ws.onopen = () => {
    attempt = 0;
    status.textContent = "live";
  };
  ws.onmessage = (event) => apply(JSON.parse(event.data));
  ws.onclose = (event) => {
    status.textContent = "reconnecting…";
    // Same backoff as tandem/realtime/client: doubling, capped at 10 s, jittered.
    const ceiling = Math.min(10_000, 250 * 2 ** attempt++);
    if (event.code !== 1008) setTimeout(connect, ceiling / 2 + Math.random() * (ceiling / 2));
  };
}

connect();
