import { defineErrors } from "./define.js";

export const realtimeErrors = defineErrors({
  TND_ERR_REALTIME_NOT_WEBSOCKET: {
    status: 400,
    description:
      "An upgrade request did not ask for the WebSocket protocol (Upgrade: websocket) or had an invalid target; send a proper WebSocket handshake to a path.",
  },
  TND_ERR_REALTIME_ORIGIN: {
    status: 403,
    description:
      "A WebSocket upgrade came from an Origin that is neither the app's own origin nor in `allowedOrigins` (cross-site WebSocket hijacking protection); add the origin to `allowedOrigins` if it is trusted.",
  },
  TND_ERR_REALTIME_BAD_SOCKET_MODULE: {
    status: 500,
    description:
      "A socket.ts module's default export is not the value returned by defineSocket(...); export default defineSocket({ ... }).",
  },
  TND_ERR_REALTIME_DEFINITION: {
    status: 500,
    description:
      "defineSocket(...) received an invalid option (a handler that is not a function or a schema that is not a Standard Schema); fix the socket.ts module.",
  },
  TND_ERR_REALTIME_UPGRADE_FAILED: {
    status: 500,
    description:
      "A socket's upgrade handler threw or returned something other than a Response or { data }; see the server log for the cause.",
  },
  TND_ERR_REALTIME_UPGRADE_TIMEOUT: {
    status: 503,
    description:
      "Middleware, routing or the socket's upgrade handler did not finish within `upgradeTimeout` (default 10 s); the upgrade was refused.",
  },
  TND_ERR_REALTIME_SHUTTING_DOWN: {
    status: 503,
    description:
      "The realtime server is shutting down and accepts no new WebSocket connections; the client should reconnect to another instance.",
  },
  TND_ERR_REALTIME_BAD_JSON: {
    status: 400,
    description:
      "A socket with a schema received a message that is not valid JSON text (error frame, the connection stays open); send JSON text frames.",
  },
  TND_ERR_REALTIME_INVALID_MESSAGE: {
    status: 422,
    description:
      "An incoming message failed the socket's Standard Schema (error frame with `issues`, the connection stays open); fix the message shape.",
  },
  TND_ERR_REALTIME_HANDLER: {
    status: 500,
    description:
      "A socket handler threw while processing a message; the client gets an error frame without internals and the server logs the cause.",
  },
  TND_ERR_REALTIME_SUBSCRIBE_DENIED: {
    status: 403,
    description:
      "A client asked to subscribe to a topic and the socket has no `subscribe` hook or the hook refused; subscribe from the server or allow it in the hook.",
  },
  TND_ERR_REALTIME_BAD_TOPIC: {
    status: 400,
    description:
      "A topic name is empty, longer than 256 characters or contains control characters; use short printable names such as `board:42`.",
  },
  TND_ERR_REALTIME_BAD_OPTION: {
    status: 500,
    description: "createRealtime, sse or connect received an invalid option (for example a negative limit); the message names the option.",
  },
  TND_ERR_REALTIME_NOT_SERIALIZABLE: {
    status: 500,
    description:
      "Data given to send or publish could not be turned into JSON (a cycle or a BigInt); send strings, bytes or JSON-safe values.",
  },
  TND_ERR_REALTIME_NO_WEBSOCKET: {
    status: 500,
    description:
      "The realtime client found no WebSocket implementation; on Node.js before 22 pass `WebSocket` from the ws package in connect options.",
  },
  TND_ERR_REALTIME_CLIENT_CLOSED: {
    status: 500,
    description: "send or subscribe was called on a realtime client after close(); create a new client with connect().",
  },
  TND_ERR_REALTIME_QUEUE_FULL: {
    status: 503,
    description:
      "The realtime client queued `maxQueue` messages while disconnected and refuses more until it reconnects; retry later or raise maxQueue.",
  },
});
