import { addDays, localDate, zonedInstant } from "../../domain/schedule/timeZone.js";

const SLOTS = ["07:00", "12:00", "17:30", "19:00"] as const;

const QUARTER = 15 * 60_000;

/**
 * Something to look at whenever the demo is opened (a demo at 02:30 showed zero KPIs and nothing to check in):
 * an open-gym session that started half an hour before `now` and runs 2 hours, and a class starting within
 * the hour — unless a regular class already starts at that instant.
 */
export function demoExtraSessions(
  now: number,
  regular: readonly number[],
): { startsAt: number; minutes: number; kind: "open_gym" | "class" }[] {
  const quarter = Math.floor(now / QUARTER) * QUARTER;
  const extra = [
    { startsAt: quarter - 2 * QUARTER, minutes: 120, kind: "open_gym" as const },
    { startsAt: quarter + 3 * QUARTER, minutes: 60, kind: "class" as const },
  ];
  return extra.filter((e) => !regular.includes(e.startsAt));
}

/** Start instants of the demo gym's classes: four a day, from 7 days before `now` to 7 days after, in local time. */
export function demoSessionTimes(now: number, timeZone: string): { startsAt: number; slot: number }[] {
  const today = localDate(now, timeZone);
  const out: { startsAt: number; slot: number }[] = [];
  for (let day = -7; day < 7; day++) {
    SLOTS.forEach((time, slot) => out.push({ startsAt: zonedInstant(addDays(today, day), time, timeZone), slot }));
  }
  return out;
}
