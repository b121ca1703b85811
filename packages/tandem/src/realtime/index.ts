// tandem/realtime: what app code imports. The Node-side server (createRealtime) is in node.ts.
export { defineSocket } from "./define-socket.js";
export { publish } from "./publish.js";
export { closeDefaultHub } from "./app-hub.js";
export { sse } from "./sse.js";
export type { SseEvent, SseOptions, SseStream } from "./sse.js";
export { createRealtime } from "./node.js";
export type { AppUpgradeResult, Realtime, RealtimeOptions } from "./node.js";
export type {
  CloseDetails,
  IncomingMessage,
  Peer,
  ServerFrame,
  ClientControlFrame,
  SocketDefinition,
  SocketHooks,
  UpgradeContext,
  UpgradeResult,
} from "./types.js";
