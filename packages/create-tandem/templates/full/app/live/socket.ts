import { defineSocket } from "tandem/realtime";
import { NOTES_TOPIC } from "@/lib/notes";

// ws://<host>/live: every page connects here for new notes, and may follow a job it started.
export default defineSocket({
  open(peer) {
    peer.subscribe(NOTES_TOPIC);
  },
  // A client asks with subscribe("jobs:<id>"); job ids are random UUIDs, so knowing one is the permission.
  subscribe(_peer, topic) {
    return /^jobs:[0-9a-f-]{36}$/.test(topic);
  },
});
