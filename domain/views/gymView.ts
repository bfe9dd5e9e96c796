import type { CheckInDenial, ClassSession, ClassType, GymPolicy, WaiverVersionRef } from "../model.js";
import { currentWaiver, documentOf, nextWaiver } from "../admin/waivers.js";
import type { DeskChange } from "../checkin/deskChanges.js";
import type { ClassCounts, SessionLabels } from "./classView.js";
import { classWindows } from "../class/windows.js";
import { IdMap } from "./idMap.js";
import { projectSections, recordSection, valueSection, type ViewSections } from "./sections.js";

/** One session in a gym's schedule, with live counts. */
export interface ScheduleEntry extends SessionLabels, ClassCounts {
  id: string;
  locationId: string;
  classTypeId: string;
  coachId: string | null;
  /** The series it belongs to (null: a single class); absent on lines from before series edits. */
  scheduleId?: string | null;
  startsAt: number;
  endsAt: number;
  capacity: number;
  status: ClassSession["status"];
  /** Check-in is accepted from here until (inclusive) `checkInClosesAt`; absent on lines from before (the desk's walk-in offer). */
  checkInOpensAt?: number;
  checkInClosesAt?: number;
}

/** What a class type, a location and a coach are called, by id: the labels of a schedule line. */
export interface ScheduleNames {
  classType(id: string): Pick<ClassType, "name" | "color"> | undefined;
  location(id: string): string | undefined;
  coach(id: string): string | undefined;
  /** Rooms, archived ones too (a class keeps its room's name). */
  room(id: string): string | undefined;
}

/** The session's own facts on its schedule line (the names and counts come from whoever builds the line). */
export function sessionFacts(s: ClassSession) {
  const w = classWindows(s);
  return {
    id: s.id,
    locationId: s.locationId,
    classTypeId: s.classTypeId,
    coachId: s.coachId,
    scheduleId: s.scheduleId,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    capacity: s.capacity,
    status: s.status,
    checkInOpensAt: w.checkInOpensAt,
    checkInClosesAt: w.checkInClosesAt,
  };
}

/** A session's line on the gym's schedule: its facts, the names it shows and its counts. */
export function scheduleEntry(s: ClassSession, names: ScheduleNames, counts: ClassCounts): ScheduleEntry {
  const type = names.classType(s.classTypeId);
  return {
    ...sessionFacts(s),
    className: type?.name ?? "Class",
    color: type?.color ?? "#888888",
    locationName: names.location(s.locationId) ?? "",
    coachName: s.coachId ? (names.coach(s.coachId) ?? null) : null,
    roomName: s.roomId ? (names.room(s.roomId) ?? null) : null,
    ...counts,
  };
}

/** A line of the live check-in stream (staff and front desk). */
export interface CheckInStreamItem {
  id: string;
  memberId: string | null;
  name: string;
  at: number;
  result: "accepted" | "denied";
  reason: CheckInDenial | null;
  className: string | null;
  /** Staff checked them in despite a refusal: the reason they gave. */
  override?: string;
}

/** Today's numbers for staff. */
export interface GymKpis {
  checkIns: number;
  bookings: number;
  noShows: number;
  /** Checked in / (checked in + no-shows) of today's finished bookings, 0..1; null before any class ended. */
  attendanceRate: number | null;
  feesCents: number;
}

/** The state a gym room holds. `policy` and staff notes never reach a projection. */
export interface GymRoomState {
  gym: { id: string; name: string; timeZone: string; currency: string };
  policy: GymPolicy;
  locations: Record<string, string>;
  /** Rooms that take new classes (not archived): id → their location and name (absent: none). Never projected. */
  rooms?: Record<string, { locationId: string; name: string }>;
  classTypes: Record<string, ClassType>;
  /** Coaches by user id → name. */
  coaches: Record<string, string>;
  /** The schedule window's end (exclusive); sessions created beyond it are not shown here. */
  scheduleUntil: number;
  /** Sessions from the start of today (gym time zone) for the next 7 days. */
  schedule: Record<string, ScheduleEntry>;
  /** Recent check-ins, newest last (bounded). */
  checkIns: CheckInStreamItem[];
  kpis: GymKpis;
}

export interface PublicGymView {
  gym: GymRoomState["gym"];
  locations: Record<string, string>;
  classTypes: Record<string, { name: string; color: string; description: string; archived?: boolean }>;
  schedule: Record<string, ScheduleEntry>;
  /** Members checked in within the last 90 minutes. */
  occupancy: number;
  /**
   * Each policy document's version in force, and the next when one is published to take effect later
   * (`{ waiver: "2027-01@<effectiveAt>" }`, `"2027-01@<at> → 2027-06@<at>"`): a publish moves it, and so does the
   * moment a later version takes effect, so open member apps read their documents again then (one broadcast, no
   * per-member work). Absent from older servers.
   */
  policies?: Record<string, string>;
}

export interface StaffGymView extends PublicGymView {
  coaches: Record<string, string>;
  checkIns: CheckInStreamItem[];
  kpis: GymKpis;
  /** The last few desk changes by number (what an offline-capable desk patches its snapshot with). */
  desk: Record<string, DeskChange>;
}

/** What a gym room holds while it runs: the loaded state with its schedule in an `IdMap`, so one booking's new counts cost O(1), not a copy of the week. */
export interface GymRoomModel extends Omit<GymRoomState, "schedule"> {
  schedule: IdMap<ScheduleEntry>;
  /** The last few changes offline-capable desks patch their snapshot with (domain/checkin/deskChanges.ts), newest last. */
  desk: DeskChange[];
  /** This run of the room: desk changes are numbered within it. */
  deskEpoch: string;
}

export function gymModel(state: GymRoomState, deskEpoch: string): GymRoomModel {
  return { ...state, schedule: IdMap.from(state.schedule), desk: [], deskEpoch };
}

const OCCUPANCY_MS = 90 * 60_000;

/** Distinct members with an accepted check-in in the last 90 minutes. */
export function occupancy(state: Pick<GymRoomState, "checkIns">, now: number): number {
  const here = new Set<string>();
  for (const c of state.checkIns) if (c.result === "accepted" && c.memberId && now - c.at <= OCCUPANCY_MS) here.add(c.memberId);
  return here.size;
}

const publicClassType = (t: ClassType) => ({
  name: t.name,
  color: t.color,
  description: t.description,
  ...(t.archived ? { archived: true } : {}),
});
/** `version@effectiveAt` of a version, "-" for none. */
const policyRef = (v: WaiverVersionRef | null | undefined): string => (v ? `${v.version}@${v.effectiveAt}` : "-");

/**
 * Per policy document, the version in force at `now` and, when a later one is published, the next to take over:
 * `"2027-01@<effectiveAt>"` or `"2027-01@<at> → 2027-06@<at>"`. Moves when a version is published and again when a
 * later one takes effect (the gym room republishes then: `rooms/policyTimer.ts`), so open member apps read their
 * documents at both moments.
 */
export function policiesInForce(s: Pick<GymRoomState, "policy">, now: number): Record<string, string> {
  const byDoc = new Map<string, WaiverVersionRef[]>();
  for (const v of s.policy.waiverVersions ?? []) byDoc.set(documentOf(v), [...(byDoc.get(documentOf(v)) ?? []), v]);
  const out: Record<string, string> = {};
  for (const [doc, versions] of byDoc) {
    const next = nextWaiver(versions, now);
    out[doc] = next ? `${policyRef(currentWaiver(versions, now))} → ${policyRef(next)}` : policyRef(currentWaiver(versions, now));
  }
  return out;
}
const bySchedule = (a: ScheduleEntry, b: ScheduleEntry) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1);

const publicSections: ViewSections<GymRoomModel> = {
  gym: valueSection((s) => s.gym),
  locations: valueSection((s) => s.locations),
  classTypes: recordSection(
    (s) => Object.fromEntries(Object.values(s.classTypes).map((t) => [t.id, publicClassType(t)])),
    (s, id) => (Object.hasOwn(s.classTypes, id) ? publicClassType(s.classTypes[id]!) : undefined),
  ),
  schedule: recordSection(
    (s) => s.schedule.toRecord(bySchedule),
    (s, id) => s.schedule.get(id),
  ),
  occupancy: valueSection(occupancy, { timed: true }),
  // Timed: which version is in force depends on the clock (compared on every publish; a handful of versions).
  policies: valueSection(policiesInForce, { timed: true }),
};

/**
 * The gym views by audience, section by section: a gym room names the sections (and schedule lines)
 * each change touched and its deltas are built from those alone.
 */
export const GymViewSections: Readonly<Record<"public" | "staff", ViewSections<GymRoomModel>>> = {
  public: publicSections,
  staff: {
    ...publicSections,
    coaches: valueSection((s) => s.coaches),
    checkIns: valueSection((s) => s.checkIns.slice(-30).reverse()),
    kpis: valueSection((s) => s.kpis),
    desk: recordSection(
      (s) => Object.fromEntries(s.desk.map((c) => [String(c.seq), c])),
      (s, key) => s.desk.find((c) => String(c.seq) === key),
    ),
  },
};

export function publicGymView(state: GymRoomModel, now: number): PublicGymView {
  return projectSections(GymViewSections.public, state, now) as unknown as PublicGymView;
}

export function staffGymView(state: GymRoomModel, now: number): StaffGymView {
  return projectSections(GymViewSections.staff, state, now) as unknown as StaffGymView;
}
