/**
 * The exports: the staff's CSV files (members, attendance) and a member's private iCal feed. Who may ask is the
 * transport's check (`server/http/exports.ts`); what each file holds is decided here.
 */
import { csvField } from "../../domain/export/csv.js";
import { seesMoney } from "../../domain/roles.js";
import type { ExportStore } from "./ports.js";

/** A staff export: its file name, the body and how many rows it holds (for the audit row). */
export interface ExportFile {
  name: string;
  body: string;
  rows: number;
}

export const StaffExports = ["members.csv", "attendance.csv"] as const;
export type StaffExport = (typeof StaffExports)[number];

const csv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";

/** The staff export `name` of the gym, as `role` may see it (the front desk sees no plans or credits: money). */
export async function staffExport(store: ExportStore, gymId: string, name: StaffExport, role: string, now: number): Promise<ExportFile> {
  if (name === "members.csv") {
    const rows = await store.members(gymId);
    const money = seesMoney(role);
    const body = csv(
      ["name", "email", "phone", "role", "status", ...(money ? ["plan", "credits"] : []), "joined_at"],
      rows.map((r) => [
        r.name,
        r.email,
        r.phone,
        r.role,
        r.status,
        ...(money ? [r.plan, r.credits] : []),
        new Date(r.joinedAt).toISOString(),
      ]),
    );
    return { name, body, rows: rows.length };
  }
  const rows = await store.attendance(gymId, now);
  const body = csv(
    ["class_start", "class", "member", "email", "status"],
    rows.map((r) => [new Date(r.startsAt).toISOString(), r.className, r.name, r.email, r.status]),
  );
  return { name, body, rows: rows.length };
}

function icsEscape(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

const icsTime = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** How far back a calendar feed shows booked classes. */
const CALENDAR_PAST_MS = 30 * 86_400_000;

/** The member's booked classes as an iCalendar file (null: no such feed, or revoked). */
export async function calendarFeed(store: ExportStore, token: string, now: number): Promise<string | null> {
  const entries = await store.calendar(token, now - CALENDAR_PAST_MS);
  if (!entries) return null;
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Spotter//Bookings//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:My classes"];
  for (const e of entries) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${e.bookingId}@spotter`,
      `DTSTAMP:${icsTime(now)}`,
      `DTSTART:${icsTime(e.startsAt)}`,
      `DTEND:${icsTime(e.endsAt)}`,
      `SUMMARY:${icsEscape(e.className)}`,
      `LOCATION:${icsEscape(e.where)}`,
      `STATUS:${e.cancelled ? "CANCELLED" : "CONFIRMED"}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.join("\r\n") + "\r\n";
}
