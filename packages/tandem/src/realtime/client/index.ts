// tandem/realtime/client: browser and Node client for socket.ts routes, and React hooks.
export { connect } from "./connect.js";
export type { ClientState, ConnectOptions, RealtimeClient, ServerError, WebSocketConstructor, WebSocketLike } from "./connect.js";
export type { ReconnectOptions } from "./backoff.js";
export { useSocket, useTopic } from "./react.js";
export type { SocketHandle, TopicOptions } from "./react.js";
