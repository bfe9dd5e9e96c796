/**
 * Who is told when a gym's resident members change on this node: class rooms holding copies of waiting members
 * (`ResidentStandings.watch`). A count of every change told lets a watcher see whether it missed one.
 */

/** Told which members of a gym changed (`null`: possibly all of them). */
export type StandingsChanged = (memberIds: readonly string[] | null) => void;

export class StandingWatchers {
  private readonly byGym = new Map<string, Set<StandingsChanged>>();
  private seq = 0;

  /** Adds `changed` for the gym's changes; answers the function that stops it. */
  add(gymId: string, changed: StandingsChanged): () => void {
    let set = this.byGym.get(gymId);
    if (!set) this.byGym.set(gymId, (set = new Set()));
    set.add(changed);
    return () => {
      set.delete(changed);
      if (set.size === 0 && this.byGym.get(gymId) === set) this.byGym.delete(gymId);
    };
  }

  /** Counts every change told (of any gym). */
  get changes(): number {
    return this.seq;
  }

  /** Gyms someone watches. */
  gyms(): IterableIterator<string> {
    return this.byGym.keys();
  }

  /** Tells the gym's watchers (every gym's: `gymId` null) that `memberIds` changed (null: possibly all). */
  tell(gymId: string | null, memberIds: readonly string[] | null): void {
    this.seq += 1;
    if (memberIds?.length === 0) return;
    const sets = gymId === null ? [...this.byGym.values()] : [this.byGym.get(gymId)];
    for (const set of sets) for (const changed of set ?? []) changed(memberIds);
  }

  clear(): void {
    this.byGym.clear();
  }
}
