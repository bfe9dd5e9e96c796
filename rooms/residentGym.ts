/**
 * One gym's members resident on a node: loading them all in one read, reading stale members again (batched), and
 * marking a copy stale when a change reaches it before it is current. `residentStandings.ts` keeps one per gym.
 */
import { Batcher } from "./batcher.js";
import type { ResidentMember, StandingsSource } from "./residentMember.js";

/** One gym's resident members and what is known about their freshness. */
export interface GymEntry {
  ready: Promise<boolean>;
  isLoaded: boolean;
  timeZone: string;
  members: Map<string, ResidentMember>;
  /** Members whose copy missed a change → how many times; read again on their next use. */
  stale: Map<string, number>;
  reload: Batcher<string, ResidentMember>;
  /** When a room last read it, or later: until when a warm-up ahead of a booking window keeps it. */
  lastUsed: number;
}

/** What loading a gym's entry reports to its owner. */
export interface GymEntryHooks {
  /** Bookings older than this are not kept (asked at each read). */
  horizon(): number;
  /** The gym's sessions known when it loaded. */
  sessionsLoaded(sessionIds: readonly string[]): void;
  /** The load failed: the owner forgets the entry, so the next read tries again. */
  loadFailed(entry: GymEntry): void;
}

/** A new entry for the gym whose members start loading at once (`ready`: false when there is no such gym). */
export function loadGymEntry(source: StandingsSource, gymId: string, now: number, hooks: GymEntryHooks): GymEntry {
  const entry: GymEntry = {
    ready: Promise.resolve(false),
    isLoaded: false,
    timeZone: "UTC",
    members: new Map(),
    stale: new Map(),
    reload: new Batcher((ids) => reloadMembers(source, entry, gymId, ids, hooks.horizon())),
    lastUsed: now,
  };
  entry.ready = source.loadGym(gymId, hooks.horizon()).then(
    (data) => {
      if (!data) return false;
      entry.timeZone = data.timeZone;
      for (const m of data.members) entry.members.set(m.memberId, m);
      hooks.sessionsLoaded(data.sessionIds ?? []);
      entry.isLoaded = true;
      return true;
    },
    (err: unknown) => {
      hooks.loadFailed(entry);
      throw err;
    },
  );
  return entry;
}

async function reloadMembers(
  source: StandingsSource,
  g: GymEntry,
  gymId: string,
  ids: string[],
  since: number,
): Promise<Map<string, ResidentMember>> {
  const seen = new Map(ids.map((id) => [id, g.stale.get(id)]));
  const found = new Map((await source.loadMembers(gymId, ids, since)).map((m) => [m.memberId, m]));
  for (const id of ids) {
    // Invalidated again while this read ran: what it read may predate that change; stay stale.
    if (g.stale.get(id) !== seen.get(id)) continue;
    g.stale.delete(id);
    const m = found.get(id);
    if (m) g.members.set(id, m);
    else g.members.delete(id);
  }
  return found;
}

/** The member's copy is read again on next use. */
export function markStale(g: GymEntry, memberId: string): void {
  g.stale.set(memberId, (g.stale.get(memberId) ?? 0) + 1);
}

/** The member's copy if it is current; a change to a stale (or still loading) copy makes it stale again. */
export function freshMember(g: GymEntry | undefined, memberId: string): ResidentMember | undefined {
  if (!g) return undefined;
  // Loading: the read may have run before this change.
  if (g.stale.has(memberId) || !g.isLoaded) {
    markStale(g, memberId);
    return undefined;
  }
  return g.members.get(memberId);
}
