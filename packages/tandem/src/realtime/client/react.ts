import { useEffect, useRef, useState } from "react";
import { connect, type ClientState, type ConnectOptions, type RealtimeClient } from "./connect.js";

export interface SocketHandle<In, Out> {
  /** null until mounted (and while url is null). */
  client: RealtimeClient<In, Out> | null;
  state: ClientState;
  lastMessage: In | undefined;
  send(data: Out): void;
}

/**
 * Connects while the component is mounted (and url is not null), reconnecting with backoff.
 * Options are read when connecting; change `url` to connect elsewhere.
 */
export function useSocket<In = unknown, Out = unknown>(url: string | null, options?: ConnectOptions): SocketHandle<In, Out> {
  const [client, setClient] = useState<RealtimeClient<In, Out> | null>(null);
  const [state, setState] = useState<ClientState>("connecting");
  const [lastMessage, setLastMessage] = useState<In | undefined>(undefined);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    if (url === null) return undefined;
    const next = connect<In, Out>(url, optionsRef.current);
    setClient(next);
    setState(next.state);
    const offState = next.onState(setState);
    const offMessage = next.onMessage((message) => setLastMessage(() => message));
    return () => {
      offState();
      offMessage();
      void next.close();
      setClient(null);
    };
  }, [url]);

  return {
    client,
    state,
    lastMessage,
    send(data) {
      if (!client) throw new Error("useSocket: not connected yet (client is null until mounted)");
      client.send(data);
    },
  };
}

export interface TopicOptions<T> {
  /** Ask the server to subscribe (its `subscribe` hook decides). Default false: the server subscribes in `open`. */
  subscribe?: boolean;
  /** Called for every message, e.g. to append to a list; the hook still returns the latest. */
  onMessage?: (data: T) => void;
  /**
   * With `subscribe`: called each time the server confirms the subscription (after reconnects
   * too). Read state over HTTP here, not before: nothing published after it is missed.
   */
  onSubscribed?: () => void;
}

/** The latest message published on `topic` (undefined until the first one). */
export function useTopic<T = unknown>(
  client: RealtimeClient<unknown, unknown> | null,
  topic: string | null,
  options: TopicOptions<T> = {},
): T | undefined {
  const [data, setData] = useState<T | undefined>(undefined);
  const onMessage = useRef(options.onMessage);
  onMessage.current = options.onMessage;
  const onSubscribed = useRef(options.onSubscribed);
  onSubscribed.current = options.onSubscribed;
  const remote = options.subscribe ?? false;

  useEffect(() => {
    if (!client || topic === null) return undefined;
    const listener = (value: T) => {
      setData(() => value);
      onMessage.current?.(value);
    };
    return remote ? client.subscribe<T>(topic, listener, () => onSubscribed.current?.()) : client.onTopic<T>(topic, listener);
  }, [client, topic, remote]);

  return data;
}
