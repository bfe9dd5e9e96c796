const SLOTS = [
  [7, 0],
  [12, 0],
  [17, 30],
  [19, 0],
] as const;

/** Offset of `timeZone` from UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(instant / 1000) * 1000;
}

/** Start instants of the demo gym's classes: four a day, from 7 days before `now` to 7 days after, in local time. */
export function demoSessionTimes(now: number, timeZone: string): { startsAt: number; slot: number }[] {
  const local = new Date(now + offsetAt(now, timeZone));
  const out: { startsAt: number; slot: number }[] = [];
  for (let day = -7; day < 7; day++) {
    SLOTS.forEach(([h, m], slot) => {
      const wall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + day, h, m);
      const startsAt = wall - offsetAt(wall - offsetAt(wall, timeZone), timeZone);
      out.push({ startsAt, slot });
    });
  }
  return out;
}
