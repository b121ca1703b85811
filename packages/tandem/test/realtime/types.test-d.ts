// Type tests, checked only by `tsc -p packages/tandem --noEmit` (part of `npm test`), never run:
// what socket handlers see is inferred from upgrade() and the schema.
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import type { RealtimeClient } from "tandem/realtime/client";
import { defineSocket, type Peer } from "tandem/realtime";

export function defineSocketInfersDataAndMessageTypes() {
  const socket = defineSocket({
    schema: z.object({ text: z.string() }),
    upgrade: () => ({ data: { user: "ada", admin: false } }),
    message(peer, message) {
      expectTypeOf(peer.data).toEqualTypeOf<{ user: string; admin: boolean }>();
      expectTypeOf(message).toEqualTypeOf<{ text: string }>();
    },
  });
  expectTypeOf(socket.kind).toEqualTypeOf<"tandem.socket">();

  defineSocket({
    message(peer, message) {
      expectTypeOf(peer).toMatchTypeOf<Peer>();
      expectTypeOf(message).toEqualTypeOf<string | Uint8Array>();
    },
  });

  type Typed = RealtimeClient<{ echo: string }, { text: string }>;
  expectTypeOf<Parameters<Typed["send"]>[0]>().toEqualTypeOf<{ text: string }>();
  expectTypeOf<Parameters<Parameters<Typed["onMessage"]>[0]>[0]>().toEqualTypeOf<{ echo: string }>();
}
