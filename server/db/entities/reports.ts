import { EntitySchema } from "@mikro-orm/core";
import { EpochMsType } from "../EpochMsType.js";

/** A completed class's figures, counted once (its bookings no longer change): what the owner's reports read. */
export interface ClassStat {
  sessionId: string;
  gymId: string;
  startsAt: number;
  classTypeId: string;
  coachId: string | null;
  capacity: number;
  taken: number;
  here: number;
  noShows: number;
  late: number;
  waited: number;
  storedAt: number;
}

export const ClassStatEntity = new EntitySchema<ClassStat>({
  name: "ClassStat",
  tableName: "class_stat",
  indexes: [{ properties: ["gymId", "startsAt"] }],
  properties: {
    sessionId: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    startsAt: { type: EpochMsType },
    classTypeId: { type: "uuid" },
    coachId: { type: "uuid", nullable: true },
    capacity: { type: "integer" },
    taken: { type: "integer" },
    here: { type: "integer" },
    noShows: { type: "integer" },
    late: { type: "integer" },
    waited: { type: "integer" },
    storedAt: { type: EpochMsType },
  },
});

/** A gym's key figures of one gym-local day, stored once the day is over (docs/domain.md "The owner's reports"). */
export interface GymKpiDay {
  gymId: string;
  day: string;
  visits: number;
  bookings: number;
  noShows: number;
  lateCancels: number;
  joined: number;
  leads: number;
  salesCents: string;
  feesCents: string;
  /** Members active when stored; null when the day was stored later than the day after (not known any more). */
  activeMembers: number | null;
  storedAt: number;
}

export const GymKpiDayEntity = new EntitySchema<GymKpiDay>({
  name: "GymKpiDay",
  tableName: "gym_kpi_day",
  properties: {
    gymId: { type: "uuid", primary: true },
    day: { type: "string", length: 10, primary: true },
    visits: { type: "integer" },
    bookings: { type: "integer" },
    noShows: { type: "integer" },
    lateCancels: { type: "integer" },
    joined: { type: "integer" },
    leads: { type: "integer" },
    salesCents: { type: "bigint" },
    feesCents: { type: "bigint" },
    activeMembers: { type: "integer", nullable: true },
    storedAt: { type: EpochMsType },
  },
});
