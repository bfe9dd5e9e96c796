/**
 * Which classes a TV board rotates through: the shown class and every other class of the gym that
 * overlaps it in time (two rooms, one wall screen), in start then location order. Pure.
 */
import type { ScheduleEntry } from "../../domain/views/gymView.js";

/** Seconds each class stays on the wall before the next one. */
export const ROTATE_SECONDS = 15;

/** Ids of the classes running alongside `sessionId` (itself first when it is the only one); cancelled ones left out. */
export function concurrentSessions(schedule: Readonly<Record<string, ScheduleEntry>>, sessionId: string): string[] {
  const self = schedule[sessionId];
  if (!self) return [sessionId];
  const overlapping = Object.values(schedule).filter(
    (s) => s.id === sessionId || (s.status !== "cancelled" && s.startsAt < self.endsAt && self.startsAt < s.endsAt),
  );
  return overlapping
    .sort((a, b) => a.startsAt - b.startsAt || a.locationName.localeCompare(b.locationName) || (a.id < b.id ? -1 : 1))
    .map((s) => s.id);
}
