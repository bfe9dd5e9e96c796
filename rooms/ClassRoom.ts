import {
  closeClass,
  expireOffers,
  isNotification,
  type ClassEvent,
  type ClassNotificationEvent,
  type ClassState,
  type ClassStateEvent,
  type CommandContext,
} from "../domain/class/index.js";
import { DomainError } from "../domain/errors.js";
import { primeWhenFormat } from "../domain/format.js";
import { objectList } from "../domain/shapes.js";
import type { Audience, RoomId } from "../domain/protocol/envelope.js";
import { classViewChange, ClassViewSections, publicClassView, staffClassView } from "../domain/views/classSections.js";
import type { ClassRoomState } from "../domain/views/classView.js";
import type { ViewSections } from "../domain/views/sections.js";
import { Batcher } from "./batcher.js";
import { FreshStanding, handlerOf, ManagerOnly } from "./classCommands.js";
import { roomChanges, stateEvents, type ClassChange } from "./classChange.js";
import { withFees } from "./classFees.js";
import { classNotes, type ClassNoteSink } from "./classNotes.js";
import { ClassTimer } from "./classTimer.js";
import { StandingConflict, type Loaded, type ProcessedRecord, type RoomMark, type RoomMessage, type RoomRuntime } from "./ports.js";
import type { ResidentStandings } from "./residentStandings.js";
import { MayPromote, UntoldReloads, WaitingWatch, withFreshWaiting, withReload } from "./waitingStandings.js";
import { classMemberIds, residentLookup, type ClassStore, type LoadedMember, type ResidentLookup } from "./classPorts.js";
import { fail, RoomActor, type Outcome } from "./RoomActor.js";

export { stateEvents, storedNotices, type ClassChange, type NoticeCreated } from "./classChange.js";
export type { ClassStore, LoadedMember, ResidentLookup } from "./classPorts.js";

/** A standing read ahead of the mailbox, and how far this room's own commits had reached when it was read. */
interface Prefetched {
  member: LoadedMember | null;
  committedSeq: number;
}

/**
 * `class:<sessionId>`: capacity, roster, waitlist, check-ins of one session.
 * Handler: authorize → refresh standing → domain decision → (group commit) → deltas, notes to the gym and user rooms.
 */
export class ClassRoom extends RoomActor<ClassRoomState, ClassChange> {
  protected readonly audiences: readonly Audience[] = ["staff", "public"];
  private readonly timer: ClassTimer;
  private readonly notes: ClassNoteSink;
  /** Standings read in batches ahead of the mailbox: a storm of bookings makes one query per batch, not four per booking. */
  private readonly standings: Batcher<string, Prefetched>;
  /** Sequence of decisions with changes; `touched` holds, per member, the last one that changed their credits or standing. */
  private decidedSeq = 0;
  private committedSeq = 0;
  private readonly touched = new Map<string, number>();
  /** Reloads no commit said yet (see `UntoldReloads`). */
  private readonly untold = new UntoldReloads();
  private readonly lookup: ResidentLookup | undefined;
  /** With resident standings: told when a waiting member changes, so decisions that may promote read nothing. */
  private readonly watch: WaitingWatch | undefined;

  constructor(
    id: RoomId,
    rt: RoomRuntime,
    private readonly store: ClassStore,
    private readonly sessionId: string,
    /** The gym's members in memory on this node; without it, standings are read from the store (in batches). */
    private readonly resident?: ResidentStandings,
  ) {
    super(id, rt);
    this.notes = classNotes(rt);
    this.timer = new ClassTimer(rt.now, () => void this.send({ kind: "note", note: { type: "tick" } }));
    this.lookup = resident ? residentLookup(resident) : undefined;
    // A room fenced out (stopped without `onStop`) stops being told on the next change.
    const tell = (memberIds: readonly string[] | null) =>
      this.isStopped ? this.watch?.stop() : void this.send({ kind: "note", note: { type: "standings", memberIds } });
    this.watch = resident ? new WaitingWatch(resident, tell, () => (this.isStarted ? this.state : undefined)) : undefined;
    this.standings = new Batcher(async (ids) => {
      const committedSeq = this.committedSeq;
      const found = await this.store.loadMembers(this.state.cls.session, ids);
      return new Map(ids.map((id) => [id, { member: found.get(id) ?? null, committedSeq }]));
    });
  }

  /** Reads the standing an eligibility command needs while earlier messages are still being handled. */
  protected override prepare(message: RoomMessage): Promise<unknown> | undefined {
    // Members told changed: read again now (if stale) so the note's turn in the mailbox reads memory.
    if (message.kind === "note" && message.note.type === "standings" && this.resident && this.isStarted) {
      const gymId = this.state.cls.session.gymId;
      return Promise.all((message.note.memberIds ?? []).map((id) => this.resident!.member(gymId, id)));
    }
    if (message.kind !== "command" || !handlerOf(message.type)) return undefined;
    const payload = (message.payload ?? {}) as { memberId?: string };
    const memberId = payload.memberId ?? message.caller.userId;
    const known = this.isStarted ? this.state.cls.members[memberId] : undefined;
    if (!FreshStanding.has(message.type) && known) return undefined;
    // Resident: warm the gym's copy (one read per gym, then memory); `handle` reads it when its turn comes.
    if (this.resident) {
      if (this.isStarted && this.resident.memberNow(this.state.cls.session.gymId, memberId)) return undefined;
      return this.start().then(() => void this.resident!.member(this.state.cls.session.gymId, memberId));
    }
    return this.start().then(() => this.standings.load(memberId));
  }

  protected async load(): Promise<Loaded<ClassRoomState> | null> {
    // A cold room reads who its members are from the gym's resident copy, not from PostgreSQL.
    const seen = this.watch?.seen ?? 0;
    const loaded = await this.store.loadClass(this.id, this.sessionId, this.lookup);
    if (loaded) {
      this.arm(loaded.state.cls);
      primeWhenFormat(loaded.state.cls.timeZone);
      this.watch?.follow(loaded.state.cls.session.gymId, seen);
      this.resident?.sessionLoaded(this.sessionId, loaded.state.cls.session.gymId);
    }
    return loaded;
  }

  /** Loaded while the gym's members were still loading (its roster answered joins): their standings, before deciding. */
  protected override async complete(state: ClassRoomState): Promise<ClassRoomState> {
    const found = (await this.lookup?.standings(state.cls.session, classMemberIds(state.cls))) ?? new Map<string, LoadedMember>();
    const members = Object.fromEntries([...found].map(([id, m]) => [id, m.standing]));
    return { ...state, cls: { ...state.cls, members } };
  }

  protected async commit(
    base: ClassRoomState,
    changes: ClassChange[],
    processed: ProcessedRecord[],
    mark: RoomMark,
  ): Promise<RoomMark | void> {
    let next: RoomMark | void;
    try {
      next = await this.store.commitClass(this.id, base, changes, processed, mark);
    } catch (err) {
      // A guard refused a decision made on a copy that missed a change: read those members again.
      if (err instanceof StandingConflict) for (const id of err.memberIds) this.resident?.invalidateMember(err.gymId, id);
      throw err;
    }
    this.resident?.afterClassCommit(base.cls, stateEvents(changes));
    return next;
  }

  protected project(state: ClassRoomState, audience: Audience): unknown {
    return audience === "staff" ? staffClassView(state) : publicClassView(state);
  }

  /** Every outcome says what it touched (see `classViewChange`): a booking patches one roster line and the counts. */
  protected override sections(audience: Audience): ViewSections<ClassRoomState> {
    return ClassViewSections[audience === "staff" ? "staff" : "public"];
  }

  protected async handle(message: RoomMessage, state: ClassRoomState, prepared?: unknown): Promise<Outcome<ClassRoomState, ClassChange>> {
    const now = this.rt.now();
    // Decisions before this note in the mailbox keep the fee they charged; later ones charge the new one.
    if (message.kind === "note" && message.note.type === "fees")
      return { state: withFees(state, message.note.gymId, message.note.feePolicy), changes: [], reply: { ok: true, result: null } };
    if (message.kind === "note") {
      // Warmed ahead of its booking window opening: the gym's members load now and stay until then, not at the first press.
      if (message.note.type === "tick" && message.note.keepUntil) this.resident?.warm(state.cls.session.gymId, message.note.keepUntil);
      const refreshed: ClassStateEvent[] = [];
      const people: string[] = [];
      const told = message.note.type === "standings" ? message.note.memberIds : null;
      // Told of changes (resident standings): a tick reads nothing; a `standings` note refreshes whom it names.
      const fresh = this.watch && message.note.type !== "standings" ? state : await this.freshWaiting(state, refreshed, people, told);
      return this.tick(fresh, now, refreshed, people);
    }
    const { caller, type } = message;
    const handler = handlerOf(type);
    if (!handler) return { state, changes: [], reply: fail("VALIDATION_FAILED", `Unknown command ${type} for a class.`) };
    const m = caller.membership;
    // Another gym's session (or no membership) is indistinguishable from a missing one.
    if (!m || m.gymId !== state.cls.session.gymId) return { state, changes: [], reply: fail("NOT_FOUND") };
    const payload = (message.payload ?? {}) as { memberId?: string; withFee?: boolean };
    if (m.role === "front_desk" && (ManagerOnly.has(type) || (type === "class:cancelBooking" && payload.withFee === true)))
      return {
        state,
        changes: [],
        reply: fail("FORBIDDEN", "The front desk can't change classes or charge fees — ask a coach or the owner."),
      };
    let working = state;
    const refreshed: ClassStateEvent[] = [];
    const peopleChanged: string[] = [];
    const memberId = payload.memberId ?? caller.userId;
    // Eligibility commands use a fresh standing; any other command about someone this class never saw loads them once
    // (so a member without a booking hears NOT_BOOKED, not NOT_FOUND).
    const lastChange = this.touched.get(memberId) ?? 0;
    // While this room has an uncommitted change to the member's credits, its own standing is newer than the database's.
    const pendingHere = lastChange > this.committedSeq && state.cls.members[memberId] !== undefined;
    if (!pendingHere && (FreshStanding.has(type) || !state.cls.members[memberId])) {
      // Read ahead of the mailbox; read again here only if this room changed the member's credits since (rare).
      const ahead = prepared as Prefetched | undefined;
      const current = ahead !== undefined && lastChange <= ahead.committedSeq;
      const member = this.resident
        ? (this.resident.standingNow(state.cls.session, memberId) ?? (await this.resident.standing(state.cls.session, memberId)))
        : current
          ? ahead.member
          : (await this.store.loadMembers(state.cls.session, [memberId])).get(memberId);
      if (member) working = withReload(working, member, refreshed, peopleChanged, true);
    }
    if (MayPromote.has(type) && !this.watch) working = await this.freshWaiting(working, refreshed, peopleChanged);
    const late = message.offline && type === "class:checkIn" ? message.offline : undefined;
    const ctx: CommandContext = {
      now: late?.asOf ?? now,
      newId: this.rt.newId,
      actor: { userId: caller.userId, role: m.role, gymId: m.gymId },
      ...(late
        ? { offline: { deviceAt: late.deviceAt, receivedAt: late.receivedAt, ...(late.status ? { status: late.status } : {}) } }
        : {}),
    };
    const decided = handler(working.cls, payload as never, ctx);
    if (decided instanceof DomainError) return { state, changes: [], reply: { ok: false, error: decided.toAck() } };
    // A check-in answers the member's streak from the resident copy (issue 19 item 4): no read, the one definition.
    const result =
      type === "class:checkIn"
        ? withStreak(decided.result, () => this.resident?.streakOn(m.gymId, memberId, ctx.now) ?? null)
        : decided.result;
    return this.decided(working, decided.events, decided.state, { ok: true, result }, refreshed, peopleChanged);
  }

  private decided(
    before: ClassRoomState,
    events: ClassEvent[],
    cls: ClassState,
    reply: Outcome<ClassRoomState, ClassChange>["reply"],
    extra: ClassStateEvent[] = [],
    peopleChanged: readonly string[] = [],
  ): Outcome<ClassRoomState, ClassChange> {
    const changes = objectList<ClassStateEvent>();
    for (const e of events) if (!isNotification(e)) changes.push(e);
    const after: ClassRoomState = { ...before, cls };
    // Every notice is an inbox row of this very commit: it exists exactly when the event that caused it does.
    const inbox = this.notes.inbox(before, after, events.filter(isNotification) as ClassNotificationEvent[], changes);
    if (changes.length === 0 && inbox.length === 0) {
      this.untold.keep(extra);
      return { state: before, touched: classViewChange([], before, peopleChanged), changes: [], reply };
    }
    const reloads = this.untold.tell(before.cls, extra);
    const seq = ++this.decidedSeq;
    for (const e of changes) if (e.type === "credits.changed") this.touched.set(e.memberId, seq);
    return {
      state: after,
      touched: classViewChange(changes, after, peopleChanged),
      changes: roomChanges(reloads, changes, inbox),
      reply,
      afterCommit: () => {
        this.committedSeq = Math.max(this.committedSeq, seq);
        this.arm(after.cls);
        if (inbox.length > 0) this.notes.notices(inbox);
        this.watch?.committed();
      },
      // A cancel shifts every waiter's place: those notes go out after the answers, not before them.
      later: () => this.notes.committed(after, changes),
    };
  }

  /** `state` with the current standings of its waiting members named in `only` (all: null); see `withFreshWaiting`. */
  private freshWaiting(state: ClassRoomState, refreshed: ClassStateEvent[], people: string[], only: readonly string[] | null = null) {
    const session = state.cls.session;
    const read = (ids: string[]) => (this.lookup ? this.lookup.standings(session, ids) : this.store.loadMembers(session, ids));
    const named = only ? new Set(only) : null;
    // A member this room changed and has not committed is left (its copy is newer) and owed a refresh after the commit.
    const skip = (id: string) =>
      (named !== null && !named.has(id)) || ((this.touched.get(id) ?? 0) > this.committedSeq && (this.watch?.owe(id) ?? true));
    return withFreshWaiting(state, read, skip, refreshed, people);
  }

  /** Room timer: expire offers that ran out, close the class (no-shows, fees) once it is over. */
  private tick(state: ClassRoomState, now: number, refreshed: ClassStateEvent[], people: string[]): Outcome<ClassRoomState, ClassChange> {
    const ctx: CommandContext = { now, newId: this.rt.newId, actor: { userId: "system", role: "system", gymId: state.cls.session.gymId } };
    const events: ClassEvent[] = [];
    let cls = state.cls;
    const expired = expireOffers(cls, ctx);
    if (!(expired instanceof DomainError)) {
      events.push(...expired.events);
      cls = expired.state;
    }
    if (cls.session.status === "scheduled" && now >= cls.session.endsAt + cls.session.checkInClosesMinutes * 60_000) {
      const closed = closeClass(cls, {}, ctx);
      if (!(closed instanceof DomainError)) {
        events.push(...closed.events);
        cls = closed.state;
      }
    }
    this.arm(cls);
    return this.decided(state, events, cls, { ok: true, result: null }, refreshed, people);
  }

  /** Sets the timer for the next offer expiry or the class close (see `ClassTimer`). */
  private arm(cls: ClassState): void {
    this.timer.arm(cls, this.isStopped);
  }

  protected override onStop(): void {
    this.timer.stop();
    this.watch?.stop();
  }
}

/** An accepted check-in's answer with the member's streak after it (null when not known here). */
function withStreak(result: unknown, streak: () => number | null): unknown {
  const r = result as { status?: string };
  return r?.status === "checked_in" ? { ...r, streak: streak() } : result;
}
