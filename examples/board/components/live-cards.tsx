"use client";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { useSocket, useTopic, type RealtimeClient } from "tandem/realtime/client";
import { deleteCardFormAction, moveCardAction, moveCardFormAction } from "@/app/actions";
import type { Card } from "@/lib/boards";
import type { BoardEvent } from "@/lib/live";
import { ExportPanel, type Export } from "./export-panel";

type SocketMessage = { type: "snapshot"; cards: Card[] };

const byPosition = (a: Card, b: Card) => a.position - b.position || a.createdAt.localeCompare(b.createdAt);

/**
 * The board's cards, kept live over the board's socket: a snapshot on every (re)connect, then
 * every change anyone makes. Reordering (drag and drop, or the arrow buttons) calls a Server Action.
 */
export function LiveCards(props: { boardId: string; initial: Card[]; canEdit: boolean; initialExport?: Export | undefined }) {
  const { boardId, initial, canEdit, initialExport } = props;
  const [cards, setCards] = useState(initial);
  const [dragged, setDragged] = useState<string | null>(null);
  // Without JavaScript there is no socket: the status line appears once this runs in a browser.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const socket = useSocket<SocketMessage>(`/api/boards/${encodeURIComponent(boardId)}`);

  useEffect(() => {
    if (socket.lastMessage?.type === "snapshot") setCards(socket.lastMessage.cards);
  }, [socket.lastMessage]);

  useTopic<BoardEvent>(socket.client, `board:${boardId}`, {
    onMessage(event) {
      setCards((current) => {
        if (event.type === "card.deleted") return current.filter((c) => c.id !== event.cardId);
        return [...current.filter((c) => c.id !== event.card.id), event.card].sort(byPosition);
      });
    },
  });

  // Optimistic; the published events (or the next snapshot) settle the final order.
  const reorder = (card: Card, index: number) =>
    setCards((current) => {
      const order = [...current].sort(byPosition).filter((c) => c.id !== card.id);
      order.splice(Math.min(index, order.length), 0, card);
      return order.map((c, position) => ({ ...c, position }));
    });
  const move = (card: Card, index: number) => {
    if (index < 0) return;
    reorder(card, index);
    void moveCardAction(boardId, card.id, index);
  };
  // The ↑ ↓ ✕ forms post to their actions; with JavaScript the card moves (or goes) at once.
  const early = (event: FormEvent<HTMLFormElement>, card: Card) => {
    const form = new FormData(event.currentTarget);
    if (form.has("position")) reorder(card, Number(form.get("position")));
    else setCards((current) => current.filter((c) => c.id !== card.id));
  };

  return (
    <section aria-label="Cards">
      {hydrated ? (
        <p className="status" data-state={socket.state}>
          {socket.state === "open" ? "live" : socket.state}
        </p>
      ) : (
        <noscript>
          <p className="status">Live updates need JavaScript: reload to see changes others made.</p>
        </noscript>
      )}
      <ol className="cards">
        {[...cards].sort(byPosition).map((card, index) => (
          <li
            key={card.id}
            data-card={card.id}
            draggable={canEdit}
            onDragStart={() => setDragged(card.id)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => {
              const source = cards.find((c) => c.id === dragged);
              if (source && source.id !== card.id)
                move(
                  source,
                  [...cards].sort(byPosition).findIndex((c) => c.id === card.id),
                );
              setDragged(null);
            }}
          >
            <strong>{card.title}</strong>
            {card.body ? <p>{card.body}</p> : null}
            {canEdit ? (
              <span className="tools">
                <CardForm action={moveCardFormAction} boardId={boardId} card={card} position={index - 1} onSubmit={early}>
                  <button type="submit" aria-label={`Move ${card.title} up`} disabled={index === 0}>
                    ↑
                  </button>
                </CardForm>
                <CardForm action={moveCardFormAction} boardId={boardId} card={card} position={index + 1} onSubmit={early}>
                  <button type="submit" aria-label={`Move ${card.title} down`} disabled={index === cards.length - 1}>
                    ↓
                  </button>
                </CardForm>
                <CardForm action={deleteCardFormAction} boardId={boardId} card={card} onSubmit={early}>
                  <button type="submit" aria-label={`Delete ${card.title}`}>
                    ✕
                  </button>
                </CardForm>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {canEdit ? (
        <ExportPanel
          key={initialExport?.id}
          boardId={boardId}
          initial={initialExport}
          client={socket.client as RealtimeClient<unknown, unknown> | null}
        />
      ) : null}
    </section>
  );
}

function CardForm(props: {
  action: (form: FormData) => Promise<void>;
  boardId: string;
  card: Card;
  position?: number;
  onSubmit: (event: FormEvent<HTMLFormElement>, card: Card) => void;
  children: ReactNode;
}) {
  return (
    <form action={props.action} onSubmit={(event) => props.onSubmit(event, props.card)}>
      <input type="hidden" name="boardId" value={props.boardId} />
      <input type="hidden" name="cardId" value={props.card.id} />
      {props.position === undefined ? null : <input type="hidden" name="position" value={props.position} />}
      {props.children}
    </form>
  );
}
