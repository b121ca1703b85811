import { defineErrors } from "./define.js";

export const serverErrors = defineErrors({
  TND_ERR_INVALID_OPTION: {
    status: 500,
    description:
      "A serve() option is missing, of the wrong type, negative, not an integer or out of range; the message names the option and the value it got.",
  },
  TND_ERR_PORT_IN_USE: {
    status: 500,
    description: "Another process already listens on the port; stop it, pass --port or set PORT.",
  },
  TND_ERR_SERVER_LISTEN_FAILED: {
    status: 500,
    description:
      "The server could not listen on the host and port (for example a port below 1024 without privileges or an unknown host); the message carries the system error.",
  },
  TND_ERR_BODY_TOO_LARGE: {
    status: 413,
    description: "The request body is larger than the server's bodyLimit (default 1 MiB); send less or raise bodyLimit.",
  },
  TND_ERR_INVALID_JSON: {
    status: 400,
    description: "`request.json()` was called on a body that is not valid JSON.",
  },
  TND_ERR_PROTO_POISONING: {
    status: 400,
    description:
      "The JSON body has a `__proto__` key or a `constructor` object with a `prototype` key, which could change object prototypes; such bodies are refused.",
  },
  TND_ERR_SERVER_JSON_TOO_DEEP: {
    status: 400,
    description: "The JSON body nests objects and arrays deeper than 512 levels; such bodies are refused before parsing.",
  },
  TND_ERR_SERVER_BODY_INCOMPLETE: {
    status: 400,
    description: "The client closed the connection or the stream failed before the whole request body arrived.",
  },
  TND_ERR_SERVER_BAD_REQUEST: {
    status: 400,
    description:
      "The HTTP parser refused the request (bad request line, invalid header characters, NUL bytes, duplicate Content-Length, Content-Length with Transfer-Encoding, bad chunking); the connection is closed.",
  },
  TND_ERR_SERVER_HEADERS_TOO_LARGE: {
    status: 431,
    description: "The request line and headers are larger than maxHeaderSize (default 16 KiB); the connection is closed.",
  },
  TND_ERR_SERVER_TIMEOUT: {
    status: 408,
    description:
      "The client did not send the headers within headersTimeout or the whole request within requestTimeout; the connection is closed.",
  },
  TND_ERR_SERVER_BAD_HOST: {
    status: 400,
    description: "An HTTP/1.1 request has no Host header, or the Host (or a trusted X-Forwarded-Host) is not a valid host[:port].",
  },
  TND_ERR_SERVER_BAD_TARGET: {
    status: 400,
    description: "The request target is neither a path starting with '/' nor an absolute http(s) URL; upgrade requests must use a path.",
  },
  TND_ERR_SERVER_METHOD: {
    status: 501,
    description: "The request method is CONNECT, TRACE or TRACK, which Web Requests cannot represent and Tandem does not serve.",
  },
  TND_ERR_SERVER_SHUTTING_DOWN: {
    status: 503,
    description: "The server is shutting down; the request was not run and the connection is closed, so retry on another instance.",
  },
  TND_ERR_SERVER_HANDLER_TIMEOUT: {
    status: 503,
    description:
      "The handler did not return a Response within handlerTimeout (default 30 s), or within its route.ts's `export const maxDuration` (seconds) when that is shorter; `request.signal` was aborted with a TimeoutError so the handler can stop its work, and whatever it returns later is discarded.",
  },
  TND_ERR_SERVER_HANDLER_FAILED: {
    status: 500,
    description:
      "The fetch handler threw, rejected or returned something that is not a Response; the error is logged on the server and the client sees no details.",
  },
});
