import type { SocketLike } from "../../../domain/client/socket.js";

/** One emit the client made, with its ack callback when it passed one. */
export interface Sent {
  event: string;
  payload: Record<string, unknown>;
  ack: ((value: unknown) => void) | undefined;
}

/**
 * An in-memory stand-in for a Socket.IO client socket: records emits, and lets a test play the
 * server (`serverEmit`) and the network (`drop`, `reconnect`).
 */
export class FakeSocket implements SocketLike {
  connected = true;
  active = true;
  readonly sent: Sent[] = [];
  private readonly listeners = new Map<string, Set<(...args: unknown[]) => void>>();

  on(event: string, listener: (...args: unknown[]) => void): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }

  off(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (last as (value: unknown) => void) : undefined;
    this.sent.push({ event, payload: args[0] as Record<string, unknown>, ack });
    return this;
  }

  /** Emits of one event, oldest first. */
  emitted(event: string): Sent[] {
    return this.sent.filter((s) => s.event === event);
  }

  /** The most recent emit of an event (throws if none). */
  last(event: string): Sent {
    const all = this.emitted(event);
    if (all.length === 0) throw new Error(`nothing emitted as ${event}`);
    return all[all.length - 1]!;
  }

  serverEmit(event: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }

  drop(reason = "transport close"): void {
    this.connected = false;
    this.serverEmit("disconnect", reason);
  }

  reconnect(): void {
    this.connected = true;
    this.serverEmit("connect");
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
