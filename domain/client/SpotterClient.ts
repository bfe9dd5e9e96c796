import type { Ack, JoinResult, RoomDelta, RoomId, RoomReset } from "../protocol/envelope.js";
import { AckChannel, isAck } from "./AckChannel.js";
import { resolveOptions, type ConnectionState, type PayloadOf, type SpotterClientOptions } from "./clientOptions.js";
import { MalformedAnswerError, NoAnswerError, OfflineError } from "./messages.js";
import { RoomFeed, type RoomState } from "./RoomFeed.js";
import type { SocketLike } from "./socket.js";

export type { ConnectionState, ConnectionStatus, PayloadOf, SpotterClientOptions } from "./clientOptions.js";

interface Watched {
  feed: RoomFeed;
  listeners: Set<(state: RoomState<unknown>) => void>;
  retry: unknown;
  retries: number;
}

/**
 * A typed, reconnect-safe client for Spotter's room protocol over a Socket.IO socket.
 *
 * - `watch(room, onChange)` joins a room, applies `room:delta`s in order, rejoins with `since` on
 *   a gap or after a reconnect, and rejoins for a snapshot on `room:reset`.
 * - `command(room, type, payload)` answers with an {@link Ack}; it retries timeouts and drops with
 *   the same commandId (the server applies it once) and fails fast while offline — never queues.
 *
 * @example
 * const client = new SpotterClient(io(origin, { auth: { token }, transports: ["websocket"] }));
 * client.onConnection((c) => (banner.hidden = c.status === "connected"));
 * const stop = client.watch<StaffClassView>(`class:${sessionId}`, (s) => render(s.view));
 * const ack = await client.command(`class:${sessionId}`, "class:checkIn", { sessionId, memberId, source: "desk" });
 * if (!ack.ok) showError(errorMessage(ack.error));
 *
 * This file holds the connection (resume or rejoin after a drop), the rooms watched and the command API; sending with
 * an ack is AckChannel.ts, the options clientOptions.ts, one room's deltas RoomFeed.ts.
 */
export class SpotterClient {
  private readonly rooms = new Map<RoomId, Watched>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private readonly opts: Required<SpotterClientOptions>;
  private conn: ConnectionState;
  private closed = false;
  /** Whether a rejoin after the next connect may resume with `since` (see `resumeWindowMs`). */
  private resumable = true;
  private resumeTimer: unknown;
  private readonly handlers: [string, Parameters<SocketLike["on"]>[1]][];
  private readonly channel: AckChannel;

  constructor(
    private readonly socket: SocketLike,
    options: SpotterClientOptions = {},
  ) {
    this.opts = resolveOptions(options);
    this.channel = new AckChannel(socket, this.opts.timers, this.opts.ackTimeoutMs, () => this.closed);
    this.conn = { status: socket.connected ? "connected" : "connecting", error: null };
    this.handlers = [
      ["connect", () => this.onConnect()],
      ["disconnect", (reason: string) => this.onDisconnect(reason)],
      ["connect_error", (err: { message?: string; data?: { code?: string } }) => this.onConnectError(err)],
      ["room:delta", (delta: RoomDelta) => this.onDelta(delta)],
      ["room:reset", (reset: RoomReset) => this.onReset(reset)],
    ];
    for (const [event, fn] of this.handlers) socket.on(event, fn);
  }

  /** The current connection state. */
  get connection(): ConnectionState {
    return this.conn;
  }

  /** Calls `listener` now and on every change of the connection state; returns the unsubscribe. */
  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.conn);
    return () => this.connectionListeners.delete(listener);
  }

  /**
   * Watches a room: `onChange` gets the current state now (if known) and after every change.
   * Watchers of the same room share one join. Returns the unwatch function.
   */
  watch<V>(room: RoomId, onChange: (state: RoomState<V>) => void): () => void {
    let w = this.rooms.get(room);
    const listener = onChange as (state: RoomState<unknown>) => void;
    if (!w) {
      w = { feed: new RoomFeed(room), listeners: new Set([listener]), retry: undefined, retries: 0 };
      this.rooms.set(room, w);
      this.join(w);
    } else w.listeners.add(listener);
    listener(w.feed.state);
    return () => {
      const current = this.rooms.get(room);
      if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
      this.rooms.delete(room);
      this.opts.timers.clearTimeout(current.retry);
      if (this.socket.connected) this.socket.emit("room:leave", { room }, () => undefined);
    };
  }

  /** The last known state of a watched room. */
  roomState<V>(room: RoomId): RoomState<V> | undefined {
    return this.rooms.get(room)?.feed.state as RoomState<V> | undefined;
  }

  /**
   * Sends a command and resolves with its ack. Never throws and never queues: offline, it answers
   * UNAVAILABLE at once. On a timeout or a drop it resends with the same commandId (bounded).
   */
  async command<T = unknown, K extends string = string>(
    room: RoomId,
    type: K,
    payload: PayloadOf<K>,
    opts: { commandId?: string } = {},
  ): Promise<Ack<T>> {
    if (this.closed || !this.socket.connected) return { ok: false, error: OfflineError };
    // A caller that kept the command (the offline desk's queue) gives its own id, so a resend after a reload is the same command.
    const envelope = { commandId: opts.commandId ?? this.opts.newId(), room, type, payload };
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      if (!this.socket.connected && !(await this.channel.waitForConnect(this.opts.reconnectGraceMs)))
        return { ok: false, error: OfflineError };
      if (this.closed) return { ok: false, error: OfflineError };
      const out = await this.channel.request("command", envelope);
      if (out.kind !== "ack") continue;
      if (!isAck(out.value)) return { ok: false, error: MalformedAnswerError };
      const ack = out.value as Ack<T>;
      if (!ack.ok && ack.error.code === "UNAVAILABLE" && ack.error.retryAfterMs !== undefined && attempt < this.opts.maxAttempts) {
        await this.channel.delay(Math.min(ack.error.retryAfterMs, 5_000));
        continue;
      }
      return ack;
    }
    return { ok: false, error: NoAnswerError };
  }

  /** Stops listening, forgets every room, answers waiting commands; the socket stays the caller's. */
  close(): void {
    this.closed = true;
    for (const [event, fn] of this.handlers) this.socket.off(event, fn);
    for (const w of this.rooms.values()) this.opts.timers.clearTimeout(w.retry);
    this.opts.timers.clearTimeout(this.resumeTimer);
    this.rooms.clear();
    this.channel.close();
    this.connectionListeners.clear();
  }

  private join(w: Watched, fresh = false): void {
    if (!this.socket.connected || this.closed) return;
    this.opts.timers.clearTimeout(w.retry);
    const { token, since } = w.feed.beginJoin(fresh);
    this.emitRoom(w);
    const req = since === undefined ? { room: w.feed.state.room } : { room: w.feed.state.room, since };
    this.channel.send("room:join", req, (out) => {
      if (this.rooms.get(w.feed.state.room) !== w || !w.feed.isCurrent(token)) return;
      if (out.kind === "disconnected") return;
      if (out.kind === "timeout" || !isAck(out.value)) return this.retryJoin(w, 500);
      const ack = out.value as Ack<JoinResult>;
      if (!ack.ok) {
        if (ack.error.code === "UNAVAILABLE" || ack.error.code === "RATE_LIMITED") return this.retryJoin(w, ack.error.retryAfterMs ?? 500);
        w.feed.fail(ack.error);
        return this.emitRoom(w);
      }
      w.retries = 0;
      const result = w.feed.applyJoin(token, ack.result);
      this.emitRoom(w);
      // A gap inside a join answer means the server's history does not fit ours: start from a snapshot.
      if (result === "gap") this.join(w, "deltas" in ack.result);
    });
  }

  private retryJoin(w: Watched, baseMs: number): void {
    w.retries += 1;
    const ms = Math.min(baseMs * 2 ** Math.min(w.retries - 1, 5), 15_000);
    w.retry = this.opts.timers.setTimeout(() => {
      if (this.rooms.get(w.feed.state.room) === w) this.join(w);
    }, ms);
  }

  private onDelta(delta: RoomDelta): void {
    const w = this.rooms.get(delta.room);
    if (!w) return;
    const result = w.feed.onDelta(delta);
    if (result === "applied") this.emitRoom(w);
    else if (result === "gap") this.join(w);
  }

  private onReset(reset: RoomReset): void {
    const w = this.rooms.get(reset.room);
    if (w) this.join(w, true);
  }

  private onConnect(): void {
    this.opts.timers.clearTimeout(this.resumeTimer);
    const fresh = !this.resumable;
    this.resumable = true;
    this.setConnection({ status: "connected", error: null });
    this.channel.connected();
    for (const w of this.rooms.values()) if (w.feed.state.status !== "error") this.join(w, fresh);
  }

  private onDisconnect(reason: string): void {
    // The server closed us on purpose (restart, deploy): its rooms restart and count from 0 again.
    this.resumable = reason !== "io server disconnect";
    this.opts.timers.clearTimeout(this.resumeTimer);
    this.resumeTimer = this.opts.timers.setTimeout(() => (this.resumable = false), this.opts.resumeWindowMs);
    this.setConnection({ status: "reconnecting", error: null });
    this.channel.dropped();
    for (const w of this.rooms.values()) {
      this.opts.timers.clearTimeout(w.retry);
      w.feed.markStale();
      this.emitRoom(w);
    }
    // Socket.IO does not reconnect by itself after the server closed the connection (restart, deploy).
    if (reason === "io server disconnect" && this.socket.connect)
      this.opts.timers.setTimeout(() => {
        if (!this.closed && !this.socket.connected) this.socket.connect?.();
      }, 1_000);
  }

  private onConnectError(err: { message?: string; data?: { code?: string } }): void {
    if (this.socket.active === false) {
      const message = err.message && err.message !== "" ? err.message : "Please sign in again.";
      this.setConnection({ status: "denied", error: { code: "UNAUTHENTICATED", message } });
    } else if (this.conn.status === "connected") this.setConnection({ status: "reconnecting", error: null });
  }

  private emitRoom(w: Watched): void {
    for (const fn of [...w.listeners]) fn(w.feed.state);
  }

  private setConnection(state: ConnectionState): void {
    this.conn = state;
    for (const fn of [...this.connectionListeners]) fn(state);
  }
}
