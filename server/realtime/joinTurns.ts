/**
 * The latest join of each (socket, room) in flight. A join awaits its access check, the room and (for staff) its
 * audit row; a client that times out joins the same room again meanwhile. When the earlier join then fails, the watch
 * belongs to the later one: the earlier must not leave the room under it (the roster would look live and get nothing).
 */
export class JoinTurns {
  private readonly latest = new Map<string, number>();
  private gen = 0;

  /** Runs a join; `isLatest()` says whether no later join of this room on this socket has begun since. */
  async run<T>(socketId: string, room: string, join: (isLatest: () => boolean) => Promise<T>): Promise<T> {
    const turn = `${socketId}\u0000${room}`;
    const gen = ++this.gen;
    this.latest.set(turn, gen);
    try {
      return await join(() => this.latest.get(turn) === gen);
    } finally {
      if (this.latest.get(turn) === gen) this.latest.delete(turn);
    }
  }
}

/** What a promise failed with, or null once it resolves (never rejects: awaited later, after other work). */
export const failureOf = (p: Promise<unknown> | undefined): Promise<unknown> =>
  (p ?? Promise.resolve()).then(
    () => null,
    (e: unknown) => e ?? new Error("failed"),
  );
