/**
 * The node's resident members of every gym its rooms use: reads from memory (a member, their standing for a session,
 * a search, a streak), commit hooks, invalidation from other nodes, periodic reconciliation and idle eviction.
 * Loading one gym lives in `residentGym.ts`; following this node's commits in `residentCommits.ts`.
 */
import type { ClassSession } from "../domain/model.js";
import type { ClassStateEvent, MemberStanding } from "../domain/class/index.js";
import type { Person } from "../domain/views/people.js";
import { nextStreak } from "../domain/attendance/streak.js";
import { localDate } from "../domain/schedule/timeZone.js";
import { accessKey, standingOf, type ResidentMember, type StandingsSource } from "./residentMember.js";
import { loadGymEntry, markStale, type GymEntry } from "./residentGym.js";
import { applyClassCommit, applyOpenGym, rescheduledMembers } from "./residentCommits.js";
import { StandingWatchers, type StandingsChanged } from "./standingWatchers.js";

const WEEK = 7 * 86_400_000;

export type { StandingsChanged } from "./standingWatchers.js";
type SessionRef = Pick<ClassSession, "id" | "gymId" | "startsAt">;

/**
 * Members' standings per gym, resident on this node for the gym's lifetime: loaded with one read per
 * gym, kept current by the commits of this node's rooms ({@link afterClassCommit}), and told about
 * every other change by {@link invalidateMember} (a note on every node). Reads are memory reads; a
 * member marked stale is read again, alone, on next use. A copy that missed a change anyway cannot
 * do harm: commits guard credits and weekly counts, and a refused commit invalidates the member.
 */
export class ResidentStandings {
  private readonly gyms = new Map<string, GymEntry>();
  /** Session → gym, for the sessions of resident gyms (read with each gym; newer sessions are looked up elsewhere). */
  private readonly sessionGyms = new Map<string, string>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly reconciler: ReturnType<typeof setInterval> | null;
  /** Called with the members a commit on this node changed, so other nodes drop their copies. */
  onChanged: ((gymId: string, memberIds: string[]) => void) | null = null;
  /** Class rooms of this node holding copies of a gym's members (see {@link watch}). */
  private readonly watchers = new StandingWatchers();

  constructor(
    private readonly source: StandingsSource,
    private readonly now: () => number,
    private readonly idleMs: number,
    /** How often every resident gym is compared with the database (0: never), in case an invalidation note was lost. */
    reconcileMs = 30_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(idleMs, 10_000));
    this.sweeper.unref?.();
    this.reconciler =
      reconcileMs > 0 && source.accessKeys ? setInterval(() => void this.reconcile().catch(() => undefined), reconcileMs) : null;
    this.reconciler?.unref?.();
  }

  /** Bookings older than this are not kept: a week back covers any ISO week a bookable session falls in. */
  private horizon = (): number => this.now() - WEEK - 86_400_000;

  private entry(gymId: string): GymEntry {
    let g = this.gyms.get(gymId);
    if (!g) {
      const entry = loadGymEntry(this.source, gymId, this.now(), {
        horizon: () => this.horizon(),
        sessionsLoaded: (ids) => {
          for (const id of ids) this.sessionGyms.set(id, gymId);
        },
        // A failed load is forgotten, so the next read tries again.
        loadFailed: (failed) => {
          if (this.gyms.get(gymId) === failed) this.gyms.delete(gymId);
        },
      });
      this.gyms.set(gymId, entry);
      g = entry;
    }
    g.lastUsed = Math.max(g.lastUsed, this.now());
    return g;
  }

  /** The gym of a session of a resident gym (memory); undefined when not known here. */
  gymOfSession(sessionId: string): string | undefined {
    const gymId = this.sessionGyms.get(sessionId.toLowerCase());
    return gymId !== undefined && this.gyms.has(gymId) ? gymId : undefined;
  }

  /** A class room here loaded one of the gym's sessions: its gym is known from now on (its next command's access check reads nothing). */
  sessionLoaded(sessionId: string, gymId: string): void {
    if (this.gyms.has(gymId)) this.sessionGyms.set(sessionId.toLowerCase(), gymId);
  }

  /** Whether the gym's members are in memory now (reads of it answer without waiting for a load). */
  isLoaded(gymId: string): boolean {
    return this.gyms.get(gymId)?.isLoaded === true;
  }

  /** Starts loading the gym's members if not resident (a failed load is forgotten), kept as if used at `keepUntil`. */
  warm(gymId: string, keepUntil = 0): void {
    const g = this.entry(gymId);
    g.lastUsed = Math.max(g.lastUsed, keepUntil);
    g.ready.catch(() => undefined);
  }

  /** The gym's time zone and members once loaded; null when the gym does not exist. */
  private async loaded(gymId: string): Promise<GymEntry | null> {
    const g = this.entry(gymId);
    return (await g.ready) ? g : null;
  }

  /**
   * The member as resident memory has them right now, without waiting: undefined when that takes a read (the gym
   * is not loaded, the copy is stale, or they were not a member when it loaded). Same answer as {@link member}.
   */
  memberNow(gymId: string, userId: string): ResidentMember | undefined {
    const g = this.gyms.get(gymId);
    if (!g?.isLoaded || g.stale.has(userId)) return undefined;
    const m = g.members.get(userId);
    if (m) g.lastUsed = Math.max(g.lastUsed, this.now());
    return m;
  }

  /** A member of the gym as resident memory has them (read again first if stale); null if not a member. */
  async member(gymId: string, userId: string): Promise<ResidentMember | null> {
    const g = await this.loaded(gymId);
    if (!g) return null;
    for (let attempt = 0; g.stale.has(userId) && attempt < 3; attempt++) await g.reload.load(userId);
    const m = g.members.get(userId);
    if (m) return m;
    // Not a member when the gym loaded: ask once (a membership may have been created since; non-members are rare).
    return (await g.reload.load(userId)) ?? null;
  }

  /** The member's standing for one session (weekly count of that session's week) and who they are. */
  async standing(session: SessionRef, userId: string): Promise<{ standing: MemberStanding; person: Person } | null> {
    const m = await this.member(session.gymId, userId);
    return m ? standingOf(m, session, this.gyms.get(session.gymId)?.timeZone) : null;
  }

  /** {@link standing} from memory, without waiting; undefined when that takes a read (see {@link memberNow}). */
  standingNow(session: SessionRef, userId: string): { standing: MemberStanding; person: Person } | undefined {
    const m = this.memberNow(session.gymId, userId);
    return m ? standingOf(m, session, this.gyms.get(session.gymId)?.timeZone) : undefined;
  }

  /**
   * {@link standingNow} of many members at once (a loading class room's roster): one gym look-up, the records built
   * directly; `later` = the ids memory cannot answer now (not loaded, stale, or not a member when the gym loaded).
   */
  standingsNow(session: SessionRef, ids: readonly string[]) {
    const standings: Record<string, MemberStanding> = {};
    const people: Record<string, Person> = {};
    const g = this.gyms.get(session.gymId);
    if (!g?.isLoaded) return { standings, people, later: [...ids] };
    const later: string[] = [];
    for (const id of ids) {
      const m = g.stale.has(id) ? undefined : g.members.get(id);
      if (!m) later.push(id);
      else ({ standing: standings[id], person: people[id] } = standingOf(m, session, g.timeZone));
    }
    if (later.length < ids.length) g.lastUsed = Math.max(g.lastUsed, this.now());
    return { standings, people, later };
  }

  /** Members whose name, email or phone contains `q` (case-insensitive), by name, at most `limit`. */
  async search(gymId: string, q: string, limit: number): Promise<ResidentMember[]> {
    const g = await this.loaded(gymId);
    if (!g) return [];
    const needle = q.toLowerCase();
    const hits: ResidentMember[] = [];
    for (const id of g.stale.keys()) await g.reload.load(id).catch(() => undefined);
    for (const m of g.members.values()) {
      if (m.name.toLowerCase().includes(needle) || m.email.toLowerCase().includes(needle) || (m.phone ?? "").toLowerCase().includes(needle))
        hits.push(m);
    }
    return hits.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, limit);
  }

  /**
   * After a class room's commit on this node: move credits by the batch's deltas and record its
   * bookings, so the next decision of any room of the gym here reads what was just committed.
   */
  afterClassCommit(
    base: { session: ClassSession; members: Readonly<Record<string, MemberStanding>> },
    events: readonly ClassStateEvent[],
  ): void {
    const gymId = base.session.gymId;
    const changed = applyClassCommit(this.gyms.get(gymId), base, events);
    if (changed.size > 0) this.onChanged?.(gymId, [...changed]);
    this.watchers.tell(gymId, [...changed, ...rescheduledMembers(base.session.id, events, this.gyms.get(gymId))]);
  }

  /** After the desk recorded an open-gym visit on this node. */
  afterOpenGym(gymId: string, memberId: string, at: number): void {
    applyOpenGym(this.gyms.get(gymId), memberId, at);
    this.onChanged?.(gymId, [memberId]);
    this.watchers.tell(gymId, [memberId]);
  }

  /**
   * The member's streak if they are active at `at` (a check-in being decided): `nextStreak` of the resident copy,
   * a memory read. Null when the member is not resident and current here (the answer then carries no streak).
   */
  streakOn(gymId: string, memberId: string, at: number): number | null {
    const g = this.gyms.get(gymId);
    if (!g?.isLoaded || g.stale.has(memberId)) return null;
    const m = g.members.get(memberId);
    return m ? nextStreak(m.streak, localDate(at, g.timeZone)) : null;
  }

  /**
   * A member's standing changed outside this node's rooms (role, status, plan, credits, consents,
   * profile; another node's commit): their copy is read again on next use. Local only — callers
   * that changed something publish it to every node (see `server/cluster/standingNotes.ts`).
   */
  invalidateMember(gymId: string, userId: string): void {
    const g = this.gyms.get(gymId);
    if (g) markStale(g, userId);
    this.watchers.tell(gymId, [userId]);
  }

  /** A user changed in every gym they belong to (consents, name, anonymized). */
  invalidateUser(userId: string): void {
    for (const gymId of this.gyms.keys()) this.invalidateMember(gymId, userId);
    // Rooms of gyms no longer resident here hold copies too.
    for (const gymId of this.watchers.gyms()) if (!this.gyms.has(gymId)) this.watchers.tell(gymId, [userId]);
  }

  /** The gym's policy or plans changed: forget it all; the next read loads it again. */
  invalidateGym(gymId: string): void {
    this.forget(gymId);
    this.watchers.tell(gymId, null);
  }

  /**
   * Tells `changed` whenever a member of the gym may have changed here (a commit of this node, an invalidation from
   * any node, a reconciliation), so a class room keeps its copies of waiting members current without reading them
   * on every decision. Answers the function that stops it. Compare {@link changes} before and after reading copies:
   * a change between the read and `watch` was not told.
   */
  watch(gymId: string, changed: StandingsChanged): () => void {
    return this.watchers.add(gymId, changed);
  }

  /** Counts every change told to watchers (of any gym). */
  get changes(): number {
    return this.watchers.changes;
  }

  private forget(gymId: string): void {
    this.gyms.delete(gymId);
    for (const [sessionId, g] of this.sessionGyms) if (g === gymId) this.sessionGyms.delete(sessionId);
  }

  /** Forgets every gym (notes may have been missed); each loads again on next use. */
  clear(): void {
    this.gyms.clear();
    this.sessionGyms.clear();
    this.watchers.tell(null, null);
  }

  /** Gyms resident now (for metrics and the memory probe). */
  get size(): number {
    return this.gyms.size;
  }

  /**
   * Guards against a lost invalidation note (Redis pub/sub delivers at most once): reads every resident gym's
   * members' role, status, plan and credits (one small statement per gym) and marks stale each member whose copy
   * differs or is gone, so it is read again on next use. Only ever marks stale: a read racing a change costs one
   * extra reload, never a wrong copy. Credits and weekly counts are guarded in the commit anyway; this bounds how
   * long a missed status, role or plan change can be served from memory. Answers how many members it marked.
   */
  async reconcile(): Promise<number> {
    const read = this.source.accessKeys;
    if (!read) return 0;
    let marked = 0;
    for (const [gymId, g] of [...this.gyms]) {
      if (!g.isLoaded) continue;
      const keys = await read(gymId);
      if (this.gyms.get(gymId) !== g) continue;
      for (const [id, m] of g.members) {
        if (g.stale.has(id) || keys.get(id) === accessKey(m)) continue;
        this.invalidateMember(gymId, id);
        marked += 1;
      }
    }
    return marked;
  }

  /** Forgets gyms no room has read for `idleMs` (nor kept, see {@link warm}). */
  sweep(): void {
    for (const [gymId, g] of this.gyms) if (g.lastUsed < this.now() - this.idleMs) this.forget(gymId);
  }

  close(): void {
    clearInterval(this.sweeper);
    if (this.reconciler) clearInterval(this.reconciler);
    this.watchers.clear();
    this.clear();
  }
}
