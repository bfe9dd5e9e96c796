/**
 * A slow consumer on uWebSockets.js. uWS buffers what a socket's client has not read yet in C++ (Engine.IO's own
 * write buffer, which the node:http path watches, stays empty on uWS: every packet is handed to uWS at once), and a
 * send or a topic publish that finds a socket past `maxBackpressure` is dropped for that socket (`send` answers 2,
 * `publish` says nothing) while the connection stays open: a silent gap in its deltas, an ack never delivered.
 * Here the backlog has a cap, and a socket that passes it is closed, never skipped: its client reconnects and
 * resumes with `since` (deltas) and retries with the same `commandId` (acks).
 */

/**
 * The bytes uWS may hold for one socket (plus at most the one message that crosses it): a send or publish that finds
 * more is dropped, and the socket closed. Room for the largest single answer (an export of 5,000 sets over the
 * socket) on a client that reads it slowly.
 */
export const MAX_SOCKET_BACKLOG_BYTES = 1024 * 1024;
/** A backlog past this that did not shrink in a second (two sweeps) is a slow consumer: it is closed with the reason. */
export const SLOW_CONSUMER_BYTES = MAX_SOCKET_BACKLOG_BYTES / 2;
/** The WebSocket close code and reason a slow consumer is closed with (the client sees both, then reconnects). */
export const SLOW_CONSUMER_CLOSE_CODE = 4008;
export const SLOW_CONSUMER_REASON = "slow consumer";

/** uWS `send`'s status for a message dropped (0: held back, 1: written). */
export const SEND_DROPPED = 2;

type WsBehavior = Record<string, unknown>;
type WsApp = { ws(pattern: string, behavior: WsBehavior): unknown };
/** The uWS socket under an Engine.IO uWS transport (`transports-uws/websocket.js`). */
type UwsSocket = { getBufferedAmount(): number; end(code?: number, reason?: string): void };
/** An Engine.IO socket (Socket.IO's `socket.conn`). */
export type Conn = {
  transport: { name: string; readyState?: string; socket?: unknown };
  emit(event: string): unknown;
  /** Packets Engine.IO holds while its transport is not writable (node:http; stays empty on uWS WebSockets). */
  writeBuffer?: unknown[];
  close?(discard?: boolean): unknown;
};
/** A `ws` WebSocket under Engine.IO's node:http WebSocket transport. */
type NodeWebSocket = { close(code?: number, reason?: string): void };

/** Packets waiting in Engine.IO's write buffer beyond which a socket is a slow consumer (node:http, long-polling). */
export const SLOW_CONSUMER_PACKETS = 2_000;

/** What an Engine.IO socket emits just before it is closed as a slow consumer (for the metric). */
export const SLOW_CONSUMER_EVENT = "slowConsumer";

/**
 * Runs `attach` (Socket.IO's `attachApp`) with the app's WebSocket routes given the backlog cap and
 * `closeOnBackpressureLimit` (Engine.IO forwards neither: stock, uWS's 64 KiB cap applies and a dropped message
 * leaves the socket open). The backstop for topic publishes, whose per-subscriber drops no JavaScript sees: a socket
 * that misses one is closed. (The native app cannot stand behind a Proxy, and Engine.IO calls `ws` on what `any`
 * returns: the app itself gets the wrapped `ws` for the call, and its own back after.)
 */
export function attachWithBackpressureLimits<A extends object>(app: A, attach: (app: A) => void): void {
  const target = app as unknown as WsApp;
  const stock = target.ws;
  Object.defineProperty(app, "ws", {
    configurable: true,
    value: function ws(this: WsApp, pattern: string, behavior: WsBehavior) {
      return stock.call(this, pattern, { ...behavior, maxBackpressure: MAX_SOCKET_BACKLOG_BYTES, closeOnBackpressureLimit: true });
    },
  });
  try {
    attach(app);
  } finally {
    delete (app as { ws?: unknown }).ws;
    if (target.ws !== stock) target.ws = stock;
  }
}

/** The uWS socket of an open uWS WebSocket transport, else undefined (long-polling, node:http, closed). */
function uwsSocket(conn: Conn): UwsSocket | undefined {
  const t = conn.transport;
  if (t.name !== "websocket" || t.readyState === "closed") return undefined;
  const s = t.socket as Partial<UwsSocket> | undefined;
  return typeof s?.getBufferedAmount === "function" ? (s as UwsSocket) : undefined;
}

/** Bytes uWS holds for this connection's client (0 when it is not on uWS). */
export function uwsBacklog(conn: Conn): number {
  try {
    return uwsSocket(conn)?.getBufferedAmount() ?? 0;
  } catch {
    return 0; // closed under us: uWS throws on a closed socket
  }
}

/**
 * Closes a connection whose client fell too far behind, after {@link SLOW_CONSUMER_EVENT} on it (the metric). A
 * WebSocket — uWS or node:http — is closed with {@link SLOW_CONSUMER_CLOSE_CODE} and its reason (they reach the
 * client after what it has not read yet); long-polling has no close frame. Either way the Socket.IO client sees
 * "transport close" and reconnects on its own, resuming with `since` (never `socket.disconnect()`, which the
 * client takes for a server restart: no resume, and a reconnect a second later). Returns whether it closed one.
 */
export function closeSlowConsumer(conn: Conn): boolean {
  const s = uwsSocket(conn);
  if (s !== undefined) {
    try {
      s.end(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_REASON);
    } catch {
      return false; // already closed: not counted
    }
    conn.emit(SLOW_CONSUMER_EVENT);
    return true;
  }
  const t = conn.transport;
  if (t.readyState === "closed" || t.readyState === "closing" || typeof conn.close !== "function") return false;
  conn.emit(SLOW_CONSUMER_EVENT);
  // node:http WebSocket (`ws`): the close frame goes out behind what the socket holds.
  const ws = t.name === "websocket" ? (t.socket as Partial<NodeWebSocket> | undefined) : undefined;
  if (typeof ws?.close === "function") ws.close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_REASON);
  // The server side closes now (its queue is discarded), as on uWS: no more writes to a client that does not read.
  conn.close(true);
  return true;
}

/** The once-a-second slow-consumer look at a socket, on either transport (see {@link sweepBacklog} for uWS). */
export function sweepSlowConsumer(conn: Conn, seen: { backlog?: number }): void {
  if ((conn.writeBuffer?.length ?? 0) > SLOW_CONSUMER_PACKETS) closeSlowConsumer(conn);
  else sweepBacklog(conn, seen);
}

/**
 * The once-a-second look at a socket's backlog; `seen.backlog` is what it held at the previous look while past
 * {@link SLOW_CONSUMER_BYTES}. A socket still past the mark and not draining since is closed as a slow consumer;
 * a client that reads, however slowly, is left alone until it passes the cap.
 */
export function sweepBacklog(conn: Conn, seen: { backlog?: number }): void {
  const backlog = uwsBacklog(conn);
  const last = seen.backlog;
  const stalled = last !== undefined && backlog >= last;
  if (stalled) closeSlowConsumer(conn);
  const next = backlog <= SLOW_CONSUMER_BYTES || stalled ? undefined : backlog;
  if (next !== last) seen.backlog = next; // untouched while under the mark (most sockets: no property added)
}

/**
 * Within this of the cap a send that uWS held back closes the socket: its close frame (code and reason) still fits
 * behind the backlog — past the cap uWS drops it too and the client sees only 1006 — and the next message would be dropped.
 */
const CLOSE_FRAME_ROOM_BYTES = 64 * 1024;

/** After a send that uWS did not write at once: whether the socket is at its cap (close it now, while the reason fits). */
export const atCap = (conn: Conn): boolean => uwsBacklog(conn) > MAX_SOCKET_BACKLOG_BYTES - CLOSE_FRAME_ROOM_BYTES;

/**
 * Room broadcasts published between two looks at every socket's backlog. A socket gains at most this (plus one
 * message) between looks — each publish reaches a socket once — so a look that closes sockets within
 * {@link BROADCAST_CLOSE_BYTES} closes them before a publish is dropped for them, while their close frame fits.
 */
export const PUBLISH_LOOK_BYTES = 128 * 1024;
/** At a look, a backlog past this is closed as a slow consumer: the broadcasts before the next look could pass the cap. */
export const BROADCAST_CLOSE_BYTES = MAX_SOCKET_BACKLOG_BYTES - CLOSE_FRAME_ROOM_BYTES - PUBLISH_LOOK_BYTES;

type PublishingApp = { publish(topic: unknown, message: unknown, isBinary?: boolean, compress?: boolean): boolean };

const publishedBytes = (message: unknown): number =>
  typeof message === "string" ? Buffer.byteLength(message) : ((message as { byteLength?: number }).byteLength ?? 0);

/**
 * A topic publish past a socket's cap is dropped for it by uWS, which then closes it without a close frame (1006, no
 * reason, and unseen by JavaScript: no metric). Every {@link PUBLISH_LOOK_BYTES} published, this looks at every socket
 * and closes those near the cap as slow consumers first (4008, counted), like a direct send does. Wraps `app.publish`
 * (Socket.IO's and {@link publishOncePerRoom}'s go through it); `conns` are the Engine.IO sockets of the node.
 * A look costs ~145 ns a socket (2,000 sockets: 0.29 ms; so ~1.4 ms at 10,000, once per 128 KiB published).
 */
export function closeBeforePublishDrops(app: object, conns: () => Record<string, Conn>): void {
  const target = app as unknown as PublishingApp;
  const stock = target.publish;
  let budget = PUBLISH_LOOK_BYTES;
  Object.defineProperty(app, "publish", {
    configurable: true,
    writable: true,
    value: function publish(this: PublishingApp, topic: unknown, message: unknown, isBinary?: boolean, compress?: boolean) {
      const sent = stock.call(this, topic, message, isBinary, compress);
      budget -= publishedBytes(message);
      if (budget <= 0) {
        budget = PUBLISH_LOOK_BYTES;
        const all = conns();
        for (const id in all) {
          const conn = all[id]!;
          if (uwsBacklog(conn) > BROADCAST_CLOSE_BYTES) closeSlowConsumer(conn);
        }
      }
      return sent;
    },
  });
}
