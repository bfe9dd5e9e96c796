import {
  decideDeskCheckIn,
  DefaultDeskRules,
  DeskMemberRules,
  offlineDecisionTime,
  type DeskBooking,
  type DeskMemberRule,
  type DeskVerdict,
} from "../domain/checkin/deskDecision.js";
import { frozenMessage } from "../domain/admin/members.js";
import { CheckInDenialMessages } from "../domain/checkin/denials.js";
import { decideCheckInSource } from "../domain/checkin/selfCheckIn.js";
import { isOverridable, overrideRefusal } from "../domain/checkin/override.js";
import { deskRulesWithWaiver } from "../domain/checkin/waiver.js";
import { statusAsOf, type StatusChange } from "../domain/checkin/statusAsOf.js";
import type { AttendanceEvent, CheckIn, CheckInSource, ClassSession, ClassType, RecurringSchedule } from "../domain/model.js";
import { DomainError } from "../domain/errors.js";
import { decideSchedule, newScheduleEntry, withCatalog } from "./gymSchedule.js";
import { isStaffRole } from "../domain/roles.js";
import type { Ack, Audience, RoomId } from "../domain/protocol/envelope.js";
import {
  gymModel,
  GymViewSections,
  publicGymView,
  staffGymView,
  type CheckInStreamItem,
  type GymRoomModel,
  type GymRoomState,
} from "../domain/views/gymView.js";
import { mergeChanges, touched, type ViewSections } from "../domain/views/sections.js";
import { memberChange, withDeskChanges } from "./gymDeskFeed.js";
import type { Caller, Loaded, ProcessedRecord, RoomMark, RoomMessage, RoomNote, RoomRuntime } from "./ports.js";
import { residentDeskLookup, type DeskCheckIn, type DeskLookup, type DeskMember, type ResidentDesk } from "./deskLookup.js";

export type { DeskCheckIn, DeskLookup, DeskMember } from "./deskLookup.js";
import { fail, RoomActor, type Outcome } from "./RoomActor.js";

/** Records a gym room stores itself: open-gym and denied desk check-ins, and the schedule it creates. */
export type GymChange =
  | { type: "checkin"; checkIn: CheckIn }
  | { type: "attendance"; attendance: AttendanceEvent }
  | { type: "classType"; classType: ClassType }
  | { type: "session"; session: ClassSession }
  | { type: "schedule"; schedule: RecurringSchedule };

/** Persistence and lookups a gym room needs. */
export interface GymStore {
  loadGym(room: RoomId, gymId: string): Promise<Loaded<GymRoomState> | null>;
  findMember(gymId: string, who: { memberId: string } | { code: string }): Promise<DeskMember | null>;
  /** The member's live bookings of scheduled sessions within six hours of `now`, nearest first (at most three). */
  findBookings(gymId: string, memberId: string, now: number): Promise<DeskBooking[]>;
  /** The member's status changes after `at` (what it was before each, and when): an offline desk's check-in is decided with the status then. */
  statusChangesAfter(gymId: string, memberId: string, at: number): Promise<StatusChange[]>;
  commitGym(room: RoomId, changes: GymChange[], processed: ProcessedRecord[], mark: RoomMark): Promise<RoomMark | void>;
}

/** Ask another room and wait for its answer (the desk forwards class check-ins to the class room). */
export type AskRoom = (room: RoomId, message: RoomMessage) => Promise<Ack<unknown>>;

const STREAM_MAX = 100;
const isStaff = (c: Caller) => c.membership !== null && isStaffRole(c.membership.role);

/**
 * `gym:<gymId>`: the week's schedule with live counts, occupancy, the check-in stream and today's KPIs.
 * The front desk checks members in here: a booked class goes to its class room, otherwise open gym or a recorded denial.
 */
export class GymRoom extends RoomActor<GymRoomModel, GymChange> {
  protected readonly audiences: readonly Audience[] = ["staff", "public"];

  constructor(
    id: RoomId,
    rt: RoomRuntime,
    private readonly store: GymStore,
    private readonly gymId: string,
    private readonly ask: AskRoom,
    /** Members in memory: desk lookups without a database read. Without it, the store looks them up. */
    private readonly desk?: ResidentDesk,
  ) {
    super(id, rt);
  }

  protected async load(): Promise<Loaded<GymRoomModel> | null> {
    const loaded = await this.store.loadGym(this.id, this.gymId);
    return loaded && { ...loaded, state: gymModel(loaded.state, this.rt.newId()) };
  }

  protected async commit(
    _base: GymRoomModel,
    changes: GymChange[],
    processed: ProcessedRecord[],
    mark: RoomMark,
  ): Promise<RoomMark | void> {
    const next = await this.store.commitGym(this.id, changes, processed, mark);
    for (const c of changes)
      if (c.type === "attendance" && c.attendance.sessionId === null && c.attendance.memberId)
        this.desk?.resident.afterOpenGym(this.gymId, c.attendance.memberId, c.attendance.at);
    return next;
  }

  protected project(state: GymRoomModel, audience: Audience, now: number): unknown {
    return audience === "staff" ? staffGymView(state, now) : publicGymView(state, now);
  }

  /** Every outcome here says what it touched: a booking elsewhere patches one schedule line and the KPIs, not the week. */
  protected override sections(audience: Audience): ViewSections<GymRoomModel> {
    return GymViewSections[audience === "staff" ? "staff" : "public"];
  }

  /** Desk check-ins look the member and their booking up before the mailbox, so scans at a busy desk don't queue on the database. */
  protected override prepare(message: RoomMessage): Promise<DeskLookup | DeskMember | null> | undefined {
    // A member changed: read them fresh (a rare staff action), so desks hear the status as committed.
    if (message.kind === "note" && message.note.type === "member")
      return this.store.findMember(this.gymId, { memberId: message.note.memberId });
    if (message.kind !== "command" || message.type !== "gym:checkIn") return undefined;
    const { caller } = message;
    if (caller.membership?.gymId !== this.gymId || !isStaff(caller)) return undefined;
    return this.lookUp(message.payload as DeskCheckIn);
  }

  private async lookUp(cmd: DeskCheckIn): Promise<DeskLookup> {
    const now = deskTime(cmd, this.rt.now());
    const found = await this.lookUpNow(cmd, now);
    return cmd.offline ? this.asOfDeskTime(found, cmd, now) : found;
  }

  /** An offline desk's check-in is decided with the membership's status at the desk's (clamped) time, not today's. */
  private async asOfDeskTime(found: DeskLookup, cmd: DeskCheckIn, at: number): Promise<DeskLookup> {
    const m = found.member;
    if (!m) return found;
    const status = statusAsOf(m.standing.status, await this.store.statusChangesAfter(this.gymId, m.standing.memberId, at), at);
    if (status === m.standing.status) return found;
    // Today's lookup skipped the bookings of a membership that is not active now.
    const bookings = status === "active" && !cmd.openGym ? await this.store.findBookings(this.gymId, m.standing.memberId, at) : [];
    return { member: { ...m, standing: { ...m.standing, status } }, bookings };
  }

  private async lookUpNow(cmd: DeskCheckIn, now: number): Promise<DeskLookup> {
    if (this.desk) {
      await this.start();
      const found = await residentDeskLookup(this.desk, this.gymId, this.state.schedule, cmd, now);
      if (found) return found;
    }
    const member = await this.store.findMember(this.gymId, "code" in cmd ? { code: cmd.code } : { memberId: cmd.memberId });
    const bookings =
      member && member.standing.status === "active" && !cmd.openGym
        ? await this.store.findBookings(this.gymId, member.standing.memberId, now)
        : [];
    return { member, bookings };
  }

  protected async handle(message: RoomMessage, state: GymRoomModel, prepared?: unknown): Promise<Outcome<GymRoomModel, GymChange>> {
    if (message.kind === "note")
      return {
        ...this.applyNote(state, message.note, prepared as DeskMember | null | undefined),
        changes: [],
        reply: { ok: true, result: null },
      };
    const { caller } = message;
    if (caller.membership?.gymId !== this.gymId) return { state, changes: [], reply: fail("NOT_FOUND") };
    if (!isStaff(caller) || caller.membership.status !== "active") return { state, changes: [], reply: fail("FORBIDDEN") };
    if (message.type === "gym:checkIn") {
      const cmd = message.payload as DeskCheckIn;
      return this.deskCheckIn(state, caller, message.commandId, cmd, (prepared as DeskLookup | undefined) ?? (await this.lookUp(cmd)));
    }
    if (message.type === "schedule:updateSession") {
      // The session belongs to its class room: forward and relay the answer.
      const payload = message.payload as { sessionId: string };
      const replyLater = this.ask(`class:${payload.sessionId}` as RoomId, { ...message, type: "class:updateSession" });
      return { state, changes: [], reply: { ok: true, result: null }, replyLater };
    }
    return this.schedule(state, caller, message.type, message.payload);
  }

  /** Creating class types, sessions and series: owners and admins only. */
  private schedule(state: GymRoomModel, caller: Caller, type: string, payload: unknown): Outcome<GymRoomModel, GymChange> {
    if (caller.membership?.role !== "owner" && caller.membership?.role !== "admin")
      return { state, changes: [], reply: fail("FORBIDDEN", "Only owners and admins can change the schedule.") };
    const ctx = {
      gymId: this.gymId,
      timeZone: state.gym.timeZone,
      policy: state.policy,
      classTypes: state.classTypes,
      locations: state.locations,
      coaches: state.coaches,
      newId: this.rt.newId,
    };
    const decided = decideSchedule(ctx, type, payload, this.rt.now());
    if (decided instanceof DomainError) return { state, changes: [], reply: { ok: false, error: decided.toAck() } };
    if ("classType" in decided) {
      const t = decided.classType;
      const next = { ...state, classTypes: { ...state.classTypes, [t.id]: t } };
      return {
        state: next,
        touched: touched([], { classTypes: [t.id] }),
        changes: [{ type: "classType", classType: t }],
        reply: { ok: true, result: { classTypeId: t.id } },
      };
    }
    let schedule = state.schedule;
    const shown = decided.sessions.filter((s) => s.startsAt < state.scheduleUntil);
    for (const s of shown) schedule = schedule.set(s.id, newScheduleEntry(ctx, s));
    const changes: GymChange[] = decided.schedule ? [{ type: "schedule", schedule: decided.schedule }] : [];
    changes.push(...decided.sessions.map((session): GymChange => ({ type: "session", session })));
    const result = { sessionIds: decided.sessions.map((s) => s.id), scheduleId: decided.schedule?.id ?? null };
    return {
      state: { ...state, schedule },
      touched: touched([], { schedule: shown.map((s) => s.id) }),
      changes,
      reply: { ok: true, result },
    };
  }

  /** The desk decides with the domain's one desk function; a class check-in goes on to its class room, which records it. */
  private deskCheckIn(
    state: GymRoomModel,
    caller: Caller,
    commandId: string,
    cmd: DeskCheckIn,
    found: DeskLookup,
  ): Outcome<GymRoomModel, GymChange> {
    // A member of another gym is unknown here: recorded without their id (no existence leak).
    const member = found.member?.standing.gymId === this.gymId ? found.member : null;
    const bookings = member ? found.bookings : [];
    const receivedAt = this.rt.now();
    const now = deskTime(cmd, receivedAt);
    const offline = cmd.offline ? { deviceAt: cmd.offline.deviceAt, receivedAt } : null;
    const source: CheckInSource = offline
      ? "offline_desk"
      : decideCheckInSource({ staff: true }, cmd.source, "code" in cmd ? "qr" : "desk");
    if (cmd.override) {
      const refused = overrideRefusal(caller.membership?.role ?? "member");
      if (refused) return { state, changes: [], reply: { ok: false, error: refused.toAck() } };
    }
    const facts = member && {
      ...member.standing,
      name: member.person.name,
      frozenUntil: member.frozenUntil ?? null,
      lastOpenGymAt: member.lastOpenGymAt,
    };
    const decide = (rules: readonly DeskMemberRule[]) =>
      decideDeskCheckIn({ gymId: this.gymId, member: facts, bookings, openGym: cmd.openGym === true, rules: DefaultDeskRules, now }, rules);
    // The waiver joins the member rules after the membership (docs/domain.md "Policies and waivers"), as on an offline desk.
    const first = decide(deskRulesWithWaiver(member?.standing.waiver));
    const name = member?.person.name ?? "Unknown member";
    const memberId = member?.standing.memberId ?? null;
    // An override of a refusal about a booked class (its window, the waiver): the class room checks them into it.
    const without =
      cmd.override && first.verdict === "denied" && isOverridable(first.reason) && !cmd.openGym ? decide(DeskMemberRules) : null;
    const booked =
      without &&
      (without.verdict === "class" ||
        without.verdict === "already_in_class" ||
        (without.verdict === "denied" && without.reason === "OUTSIDE_CHECK_IN_WINDOW"))
        ? without
        : null;
    const intoClass = booked?.sessionId && booked.className !== null ? { sessionId: booked.sessionId, className: booked.className } : null;
    const verdict: DeskVerdict = intoClass ? { verdict: "class", ...intoClass } : first;
    const override = intoClass ? cmd.override : undefined;
    // An offline desk showed ✔ or ✘ already: where the server decides otherwise, staff must look (needs attention).
    const judged = (admitted: boolean) =>
      cmd.offline ? { provisional: cmd.offline.admitted, needsAttention: cmd.offline.admitted !== admitted } : {};
    if (verdict.verdict === "class" || verdict.verdict === "already_in_class") {
      const className = verdict.className;
      // The class room decides and stores it (as of the same instant); this mailbox does not wait for that commit.
      const replyLater = this.ask(`class:${verdict.sessionId}` as RoomId, {
        kind: "command",
        caller,
        commandId: `desk-${commandId}`,
        type: "class:checkIn",
        payload: { sessionId: verdict.sessionId, memberId, source, ...(override ? { override } : {}) },
        receivedAt,
        ...(offline ? { offline: { asOf: now, ...offline, ...(member ? { status: member.standing.status } : {}) } } : {}),
      }).then((answer): Ack<unknown> => {
        if (!answer.ok) return answer;
        const result = answer.result as { status: string; reason?: string; message?: string };
        return { ok: true, result: { ...result, memberName: name, memberId, className, ...judged(result.status !== "denied") } };
      });
      return { state, changes: [], reply: { ok: true, result: null }, replyLater };
    }
    if (verdict.verdict === "already_checked_in")
      return {
        state,
        changes: [],
        reply: {
          ok: true,
          result: { status: "already_checked_in", message: "Already checked in.", memberName: name, memberId, ...judged(true) },
        },
      };
    const base = { id: this.rt.newId(), gymId: this.gymId, memberId, source, at: now, byUserId: caller.userId, ...offline };
    if (verdict.verdict === "denied" && cmd.override && member && isOverridable(verdict.reason)) {
      // Staff gave a reason: an accepted open-gym check-in that carries it (an override on the stream, audited with the commit).
      const checkIn: CheckIn = { ...base, sessionId: null, result: "accepted", reason: verdict.reason, override: cmd.override.reason };
      const attendance: AttendanceEvent = {
        id: this.rt.newId(),
        gymId: this.gymId,
        memberId: member.standing.memberId,
        sessionId: null,
        at: now,
      };
      return this.recorded(
        state,
        [
          { type: "checkin", checkIn },
          { type: "attendance", attendance },
        ],
        checkIn,
        name,
        null,
        {
          status: "checked_in",
          message: "Checked in (override).",
          memberName: name,
          memberId,
          className: null,
          override: cmd.override.reason,
          overridden: verdict.reason,
          ...judged(true),
        },
      );
    }
    const admitted = verdict.verdict === "open_gym";
    const checkIn: CheckIn = {
      ...base,
      sessionId: admitted ? null : verdict.sessionId,
      result: admitted ? "accepted" : "denied",
      reason: admitted ? null : verdict.reason,
    };
    const changes: GymChange[] = [{ type: "checkin", checkIn }];
    if (admitted) {
      changes.push({
        type: "attendance",
        attendance: { id: this.rt.newId(), gymId: this.gymId, memberId: memberId!, sessionId: null, at: now },
      });
      return this.recorded(state, changes, checkIn, name, null, {
        status: "checked_in",
        message: "Welcome in!",
        memberName: name,
        memberId,
        className: null,
        streak: this.streakOn(member, now),
        ...judged(true),
      });
    }
    const { reason, className } = verdict;
    const frozen = reason === "MEMBERSHIP_FROZEN";
    const message = frozen ? frozenMessage(member?.frozenUntil) : CheckInDenialMessages[reason];
    return this.recorded(state, changes, checkIn, name, className, {
      status: "denied",
      reason,
      message,
      memberName: name,
      memberId,
      overridable: member !== null && isOverridable(reason),
      ...(frozen ? { frozenUntil: member?.frozenUntil ?? null } : {}),
      ...judged(false),
    });
  }

  /** The member's streak with this visit, from the resident copy (no read); null without one. */
  private streakOn(member: DeskMember | null, now: number): number | null {
    return member ? (this.desk?.resident.streakOn(this.gymId, member.standing.memberId, now) ?? null) : null;
  }

  private recorded(
    state: GymRoomModel,
    changes: GymChange[],
    checkIn: CheckIn,
    name: string,
    className: string | null,
    result: object,
  ): Outcome<GymRoomModel, GymChange> {
    const item: CheckInStreamItem = {
      id: checkIn.id,
      memberId: checkIn.memberId,
      name,
      at: checkIn.at,
      result: checkIn.result,
      reason: checkIn.reason,
      className,
      ...(checkIn.override ? { override: checkIn.override } : {}),
    };
    // An accepted open-gym visit: desks swallow a second scan offline too.
    const open =
      checkIn.result === "accepted" && checkIn.sessionId === null && checkIn.memberId
        ? withDeskChanges(state, [{ kind: "openGym", memberId: checkIn.memberId, at: checkIn.at }])
        : null;
    return {
      state: withCheckIn(open?.state ?? state, item),
      touched: open ? mergeChanges(CheckInsTouched, open.touched) : CheckInsTouched,
      changes,
      reply: { ok: true, result },
    };
  }

  /** A committed change from a class room: the new state and what of the views it touched. */
  private applyNote(
    state: GymRoomModel,
    note: RoomNote,
    found?: DeskMember | null,
  ): Pick<Outcome<GymRoomModel, GymChange>, "state" | "touched"> {
    if (note.type === "member") return withDeskChanges(state, found === undefined ? [] : [memberChange(note.memberId, found)]);
    // A policy change: classes scheduled from now on copy it (docs/domain.md "Settings and their defaults").
    if (note.type === "policy") return { state: { ...state, policy: note.policy }, touched: touched([]) };
    if (note.type === "catalog") return withCatalog(state, note.change);
    if (note.type === "checkin") return { state: withCheckIn(state, note.item), touched: CheckInsTouched };
    if (note.type === "session") {
      const entry = note.entry;
      const k = note.kpis;
      const shown = state.schedule.has(entry.id);
      const schedule = shown ? state.schedule.set(entry.id, entry) : state.schedule;
      const kpis = {
        ...state.kpis,
        bookings: state.kpis.bookings + k.bookings,
        noShows: state.kpis.noShows + k.noShows,
        feesCents: state.kpis.feesCents + k.feesCents,
      };
      // Desks patch their saved rosters with the bookings that changed.
      const desk = withDeskChanges(
        { ...state, schedule, kpis },
        (note.roster ?? []).map((r) => ({ kind: "roster" as const, sessionId: entry.id, startsAt: entry.startsAt, ...r })),
      );
      return { state: desk.state, touched: mergeChanges(touched(["kpis"], { schedule: shown ? [entry.id] : [] }), desk.touched) };
    }
    if (note.type === "schedule") {
      const entry = note.entry;
      return { state: { ...state, schedule: state.schedule.set(entry.id, entry) }, touched: touched([], { schedule: [entry.id] }) };
    }
    return { state };
  }
}

/** The instant a desk check-in is decided at: now, or for one an offline desk sends late, its clock clamped (domain `offlineDecisionTime`). */
function deskTime(cmd: DeskCheckIn, receivedAt: number): number {
  return cmd.offline ? offlineDecisionTime(cmd.offline, receivedAt) : receivedAt;
}

/** A check-in changes the stream and the KPIs (occupancy is compared on every publish). */
const CheckInsTouched = touched(["checkIns", "kpis"]);

function withCheckIn(state: GymRoomModel, item: CheckInStreamItem): GymRoomModel {
  if (state.checkIns.some((c) => c.id === item.id)) return state;
  const checkIns = [...state.checkIns, item].slice(-STREAM_MAX);
  const accepted = item.result === "accepted" ? 1 : 0;
  return { ...state, checkIns, kpis: { ...state.kpis, checkIns: state.kpis.checkIns + accepted } };
}
