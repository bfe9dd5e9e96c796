import { addDays, localDate, zonedInstant } from "../../domain/schedule/timeZone.js";

const SLOTS = ["07:00", "12:00", "17:30", "19:00"] as const;

/** Start instants of the demo gym's classes: four a day, from 7 days before `now` to 7 days after, in local time. */
export function demoSessionTimes(now: number, timeZone: string): { startsAt: number; slot: number }[] {
  const today = localDate(now, timeZone);
  const out: { startsAt: number; slot: number }[] = [];
  for (let day = -7; day < 7; day++) {
    SLOTS.forEach((time, slot) => out.push({ startsAt: zonedInstant(addDays(today, day), time, timeZone), slot }));
  }
  return out;
}
