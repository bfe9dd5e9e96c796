import type { RoomId } from "../domain/protocol/envelope.js";
import type { RoomDirectory } from "./coordination.js";

interface Watched {
  room: RoomId;
  owner: string;
  waiters: number;
  moved: Promise<void>;
  resolve: () => void;
}

/**
 * Tells forwarded requests when the owner they wait for loses a room's lease. Every room waited on is checked in
 * ONE directory read per interval (`ownersOf`), however many requests wait: each waiting request polling on its own
 * (one Redis GET every 200 ms per request in flight) made an overloaded cluster read leases far more often than it
 * answered bookings, slowing it further.
 */
export class LeaseWatch {
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking = false;

  constructor(
    private readonly directory: Pick<RoomDirectory, "ownersOf">,
    private readonly intervalMs = 200,
  ) {}

  /** `moved` resolves once `owner` no longer holds `room`'s lease (or the watch closes); call `release` when done waiting. */
  watch(room: RoomId, owner: string): { moved: Promise<void>; release: () => void } {
    const key = `${room}\u0000${owner}`;
    let w = this.watched.get(key);
    if (!w) {
      let resolve!: () => void;
      const moved = new Promise<void>((r) => (resolve = r));
      w = { room, owner, waiters: 0, moved, resolve };
      this.watched.set(key, w);
    }
    const entry = w;
    entry.waiters += 1;
    this.timer ??= setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref?.();
    let released = false;
    return {
      moved: entry.moved,
      release: () => {
        if (released) return;
        released = true;
        entry.waiters -= 1;
        if (entry.waiters === 0 && this.watched.get(key) === entry) this.watched.delete(key);
        if (this.watched.size === 0) this.stop();
      },
    };
  }

  /** How many rooms are being watched (for tests and metrics). */
  get size(): number {
    return this.watched.size;
  }

  private async check(): Promise<void> {
    if (this.checking || this.watched.size === 0) return;
    this.checking = true;
    try {
      const entries = [...this.watched.entries()];
      // Unreachable directory: assume the owner still holds the lease (as a failed read always did).
      const owners = await this.directory.ownersOf(entries.map(([, w]) => w.room)).catch(() => null);
      if (!owners) return;
      entries.forEach(([key, w], i) => {
        if (owners[i] === w.owner) return;
        if (this.watched.get(key) === w) this.watched.delete(key);
        w.resolve();
      });
      if (this.watched.size === 0) this.stop();
    } finally {
      this.checking = false;
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Shutting down: every waiter stops waiting. */
  close(): void {
    this.stop();
    for (const w of this.watched.values()) w.resolve();
    this.watched.clear();
  }
}
