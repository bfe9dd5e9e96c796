import type { CheckInDenial, ClassSession, ClassType, GymPolicy } from "../model.js";
import type { ClassCounts, SessionLabels } from "./classView.js";

/** One session in a gym's schedule, with live counts. */
export interface ScheduleEntry extends SessionLabels, ClassCounts {
  id: string;
  locationId: string;
  classTypeId: string;
  coachId: string | null;
  startsAt: number;
  endsAt: number;
  capacity: number;
  status: ClassSession["status"];
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
  classTypes: Record<string, { name: string; color: string; description: string }>;
  schedule: Record<string, ScheduleEntry>;
  /** Members checked in within the last 90 minutes. */
  occupancy: number;
}

export interface StaffGymView extends PublicGymView {
  coaches: Record<string, string>;
  checkIns: CheckInStreamItem[];
  kpis: GymKpis;
}

const OCCUPANCY_MS = 90 * 60_000;

/** Distinct members with an accepted check-in in the last 90 minutes. */
export function occupancy(state: GymRoomState, now: number): number {
  const here = new Set<string>();
  for (const c of state.checkIns) if (c.result === "accepted" && c.memberId && now - c.at <= OCCUPANCY_MS) here.add(c.memberId);
  return here.size;
}

export function publicGymView(state: GymRoomState, now: number): PublicGymView {
  const classTypes = Object.fromEntries(
    Object.values(state.classTypes).map((t) => [t.id, { name: t.name, color: t.color, description: t.description }]),
  );
  return { gym: state.gym, locations: state.locations, classTypes, schedule: state.schedule, occupancy: occupancy(state, now) };
}

export function staffGymView(state: GymRoomState, now: number): StaffGymView {
  return { ...publicGymView(state, now), coaches: state.coaches, checkIns: state.checkIns.slice(-30).reverse(), kpis: state.kpis };
}
