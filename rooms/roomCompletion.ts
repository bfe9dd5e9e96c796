import type { Loaded } from "./ports.js";

/**
 * Completing a loaded state that can answer views but not yet decisions (one job of `RoomActor`): a class room that
 * loads before its gym's members are in memory shows its roster at once and reads their standings meanwhile.
 * Messages wait for it; joins do not. A newer load replaces what is being completed.
 */
export class RoomCompletion<S> {
  private pending: { base: S; done: Promise<S> | null } | null = null;

  constructor(
    private readonly complete: (state: S) => Promise<S>,
    /** Adopts the completed state (nothing was decided on the loaded one). */
    private readonly adopt: (state: S) => void,
  ) {}

  /** After a load: starts completing its state at once when it is incomplete (decisions wait in {@link settle}). */
  loaded({ state, incomplete }: Pick<Loaded<S>, "state" | "incomplete">): void {
    this.pending = incomplete ? { base: state, done: this.run(state) } : null;
  }

  /** Whether the last load still needs completing ({@link settle} has work to do). */
  get incomplete(): boolean {
    return this.pending !== null;
  }

  /** Before the next decision: adopts the completed state, if the last load needs it. Throws when completing failed; the next call tries again. */
  async settle(): Promise<void> {
    for (;;) {
      const p = this.pending;
      if (!p) return;
      p.done ??= this.run(p.base);
      let state: S;
      try {
        state = await p.done;
      } catch (err) {
        if (this.pending === p) p.done = null;
        throw err;
      }
      // A newer load replaced it meanwhile: complete that one instead.
      if (this.pending !== p) continue;
      this.pending = null;
      this.adopt(state);
      return;
    }
  }

  private run(state: S): Promise<S> {
    const done = this.complete(state);
    // Observed in `settle`; a room nobody sends a message to must not leave it unhandled.
    done.catch(() => undefined);
    return done;
  }
}
