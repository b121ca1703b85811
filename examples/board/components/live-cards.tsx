"use client";
import { useEffect, useState } from "react";
import { useSocket, useTopic, type RealtimeClient } from "tandem/realtime/client";
import { deleteCardAction, moveCardAction } from "@/app/actions";
import type { Card } from "@/lib/boards";
import type { BoardEvent } from "@/lib/live";
import { ExportPanel } from "./export-panel";

type SocketMessage = { type: "snapshot"; cards: Card[] };

const byPosition = (a: Card, b: Card) => a.position - b.position || a.createdAt.localeCompare(b.createdAt);

/**
 * The board's cards, kept live over the board's socket: a snapshot on every (re)connect, then
 * every change anyone makes. Reordering (drag and drop, or the arrow buttons) calls a Server Action.
 */
export function LiveCards({ boardId, initial, canEdit }: { boardId: string; initial: Card[]; canEdit: boolean }) {
  const [cards, setCards] = useState(initial);
  const [dragged, setDragged] = useState<string | null>(null);
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

  const move = (card: Card, index: number) => {
    if (index < 0) return;
    // Optimistic; the published events (or the next snapshot) settle the final order.
    setCards((current) => {
      const order = [...current].sort(byPosition).filter((c) => c.id !== card.id);
      order.splice(Math.min(index, order.length), 0, card);
      return order.map((c, position) => ({ ...c, position }));
    });
    void moveCardAction(boardId, card.id, index);
  };

  return (
    <section aria-label="Cards">
      <p className="status" data-state={socket.state}>
        {socket.state === "open" ? "live" : socket.state}
      </p>
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
                <button type="button" aria-label={`Move ${card.title} up`} disabled={index === 0} onClick={() => move(card, index - 1)}>
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move ${card.title} down`}
                  disabled={index === cards.length - 1}
                  onClick={() => move(card, index + 1)}
                >
                  ↓
                </button>
                <button type="button" aria-label={`Delete ${card.title}`} onClick={() => void deleteCardAction(boardId, card.id)}>
                  ✕
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {canEdit ? <ExportPanel boardId={boardId} client={socket.client as RealtimeClient<unknown, unknown> | null} /> : null}
    </section>
  );
}
