/**
 * `gym:<gymId>`, the gym room actor: loads the gym, routes its commands (desk check-ins, schedule changes) and notes
 * from other rooms to the modules that decide them, commits what they record and publishes the staff and public views.
 */
import { asNotice } from "../domain/notices/inbox.js";
import { isStaffRole } from "../domain/roles.js";
import type { Audience, RoomId } from "../domain/protocol/envelope.js";
import { gymModel, GymViewSections, publicGymView, staffGymView, type GymRoomModel } from "../domain/views/gymView.js";
import type { ViewSections } from "../domain/views/sections.js";
import type { Caller, Loaded, ProcessedRecord, RoomMark, RoomMessage, RoomRuntime } from "./ports.js";
import type { DeskCheckIn, DeskLookup, DeskMember, ResidentDesk } from "./deskLookup.js";
import { deskCheckIn, type GymDeskContext } from "./gymDeskCheckIn.js";
import { lookUpDesk, type DeskLookupSource } from "./gymDeskLookup.js";
import { applyGymNote } from "./gymNotes.js";
import { classesOpenForCheckIn } from "./gymWarmClasses.js";
import type { AskRoom, GymChange, GymStore } from "./gymPorts.js";
import { scheduleCommand } from "./gymScheduleCommands.js";
import { fail, RoomActor, type Outcome } from "./RoomActor.js";
import { PolicyTimer } from "./policyTimer.js";
import { touched } from "../domain/views/sections.js";

export type { DeskCheckIn, DeskLookup, DeskMember } from "./deskLookup.js";
export type { AskRoom, GymChange, GymStore } from "./gymPorts.js";

const isStaff = (c: Caller) => c.membership !== null && isStaffRole(c.membership.role);

/**
 * `gym:<gymId>`: the week's schedule with live counts, occupancy, the check-in stream and today's KPIs.
 * The front desk checks members in here: a booked class goes to its class room, otherwise open gym or a recorded denial.
 */
export class GymRoom extends RoomActor<GymRoomModel, GymChange> {
  protected readonly audiences: readonly Audience[] = ["staff", "public"];
  private readonly deskContext: GymDeskContext;
  private readonly lookupSource: DeskLookupSource;
  /** Fires when a policy version published for later takes effect: the `policies` view section moves then. */
  private readonly policyTimer: PolicyTimer;

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
    this.policyTimer = new PolicyTimer(rt.now, () => void this.send({ kind: "note", note: { type: "tick" } }));
    this.deskContext = { gymId, rt, ask, desk };
    this.lookupSource = {
      store,
      gymId,
      desk,
      now: () => this.rt.now(),
      schedule: async () => {
        await this.start();
        return this.state.schedule;
      },
    };
  }

  protected async load(): Promise<Loaded<GymRoomModel> | null> {
    const loaded = await this.store.loadGym(this.id, this.gymId);
    if (loaded) this.policyTimer.arm(loaded.state.policy.waiverVersions, this.isStopped);
    // Classes open for check-in load beside the gym: a desk's first scan into each finds it in memory.
    for (const id of loaded ? classesOpenForCheckIn(loaded.state, this.rt.now()) : []) this.rt.warm?.(`class:${id}` as RoomId);
    return loaded && { ...loaded, state: gymModel(loaded.state, this.rt.newId()) };
  }

  protected async commit(
    _base: GymRoomModel,
    changes: GymChange[],
    processed: ProcessedRecord[],
    mark: RoomMark,
  ): Promise<RoomMark | void> {
    const committed = await this.store.commitGym(this.id, changes, processed, mark);
    for (const c of changes)
      if (c.type === "attendance" && c.attendance.sessionId === null && c.attendance.memberId)
        this.desk?.resident.afterOpenGym(this.gymId, c.attendance.memberId, c.attendance.at);
    if (!committed) return;
    const { notices = [], ...next } = committed;
    for (const n of notices) this.rt.tell(`user:${n.userId}` as RoomId, { kind: "note", note: { type: "notice", notice: asNotice(n) } });
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
    return lookUpDesk(this.lookupSource, message.payload as DeskCheckIn);
  }

  protected async handle(message: RoomMessage, state: GymRoomModel, prepared?: unknown): Promise<Outcome<GymRoomModel, GymChange>> {
    if (message.kind === "note" && message.note.type === "tick") {
      // A version published for later took effect: republish `policies` (timed: projected at the clock's now).
      this.policyTimer.arm(state.policy.waiverVersions, this.isStopped);
      return { state: { ...state }, touched: touched(["policies"]), changes: [], reply: { ok: true, result: null } };
    }
    if (message.kind === "note" && message.note.type === "policy") this.policyTimer.arm(message.note.policy.waiverVersions, this.isStopped);
    if (message.kind === "note")
      return {
        ...applyGymNote(state, message.note, prepared as DeskMember | null | undefined),
        changes: [],
        reply: { ok: true, result: null },
      };
    const { caller } = message;
    if (caller.membership?.gymId !== this.gymId) return { state, changes: [], reply: fail("NOT_FOUND") };
    if (!isStaff(caller) || caller.membership.status !== "active") return { state, changes: [], reply: fail("FORBIDDEN") };
    if (message.type === "gym:checkIn") {
      const cmd = message.payload as DeskCheckIn;
      const found = (prepared as DeskLookup | undefined) ?? (await lookUpDesk(this.lookupSource, cmd));
      return deskCheckIn(this.deskContext, state, caller, message.commandId, cmd, found);
    }
    if (message.type === "schedule:updateSession") {
      // The session belongs to its class room: forward and relay the answer.
      const payload = message.payload as { sessionId: string };
      const replyLater = this.ask(`class:${payload.sessionId}` as RoomId, { ...message, type: "class:updateSession" });
      return { state, changes: [], reply: { ok: true, result: null }, replyLater };
    }
    return scheduleCommand(this.gymId, this.rt, state, caller, message.type, message.payload);
  }

  protected override onStop(): void {
    this.policyTimer.stop();
  }
}
