import type { Ack } from "../protocol/envelope.js";
import type { SocketLike, Timers } from "./socket.js";

/**
 * The request half of the client: emit with an ack and get exactly one outcome (the ack, a timeout, or a drop), and
 * wait for the connection to come back. SpotterClient.ts tells it about drops and connects; it knows nothing of rooms.
 */

export type Outcome = { kind: "ack"; value: unknown } | { kind: "timeout" } | { kind: "disconnected" };

export const isAck = (v: unknown): v is Ack<unknown> =>
  typeof v === "object" && v !== null && ((v as { ok?: unknown }).ok === true || (v as { ok?: unknown }).ok === false);

export class AckChannel {
  private readonly dropWaiters = new Set<() => void>();
  private readonly connectWaiters = new Set<() => void>();

  constructor(
    private readonly socket: SocketLike,
    private readonly timers: Timers,
    private readonly ackTimeoutMs: number,
    /** Whether the client was closed (a wait for the connection then answers false). */
    private readonly isClosed: () => boolean,
  ) {}

  /** Emits with an ack; `done` runs exactly once, synchronously with the ack so no delta can slip ahead. */
  send(event: string, payload: unknown, done: (out: Outcome) => void): void {
    let finished = false;
    const finish = (out: Outcome) => {
      if (finished) return;
      finished = true;
      this.timers.clearTimeout(timer);
      this.dropWaiters.delete(onDrop);
      done(out);
    };
    const onDrop = () => finish({ kind: "disconnected" });
    const timer = this.timers.setTimeout(() => finish({ kind: "timeout" }), this.ackTimeoutMs);
    this.dropWaiters.add(onDrop);
    this.socket.emit(event, payload, (value: unknown) => finish({ kind: "ack", value }));
  }

  request(event: string, payload: unknown): Promise<Outcome> {
    return new Promise((resolve) => this.send(event, payload, resolve));
  }

  /** Resolves true once connected (and not closed) within `ms`, false otherwise. */
  waitForConnect(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        this.connectWaiters.delete(wake);
        this.timers.clearTimeout(timer);
        resolve(this.socket.connected && !this.isClosed());
      };
      const timer = this.timers.setTimeout(wake, ms);
      this.connectWaiters.add(wake);
    });
  }

  delay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => this.timers.setTimeout(resolve, ms));
  }

  /** The connection dropped: every request waiting for an ack ends as `disconnected`. */
  dropped(): void {
    for (const wake of [...this.dropWaiters]) wake();
  }

  /** The connection is back: every wait for it ends. */
  connected(): void {
    for (const wake of [...this.connectWaiters]) wake();
  }

  /** The client closed: every wait ends at once. */
  close(): void {
    for (const wake of [...this.dropWaiters, ...this.connectWaiters]) wake();
  }
}
