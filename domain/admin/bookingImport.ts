/**
 * Importing upcoming bookings (issue 18, docs/domain.md "Importing plans and bookings"): which column is which
 * (Mindbody, Glofox and PushPress names, or the owner's mapping), each row read in words, and each row checked against
 * the class it names — which must exist, lie ahead, take bookings now and have room for every row of the file. Pure:
 * the database's classes, members and bookings arrive as plain values.
 */
import type { Instant } from "../model.js";
import { formatWhen } from "../format.js";
import { ClassTimeColumns, EmailColumns, missingColumn, suggestColumns, type ColumnMapping, type RowError } from "./importColumns.js";
import { nameKey, readClassTime, readEmail, readNamed, readRows } from "./importRows.js";

export const BookingFields = ["email", "classType", "date", "time"] as const;
export type BookingField = (typeof BookingFields)[number];
export type BookingMapping = ColumnMapping<BookingField>;

/** The most rows one bookings file may hold: each is a class room's decision, so fewer than members. */
export const MAX_BOOKING_ROWS = 5_000;

const KnownColumns: Record<string, BookingField> = {
  ...EmailColumns,
  visitdate: "date",
  ...ClassTimeColumns,
};

/** @example suggestBookingMapping(["Client Email", "Class Name", "Class Date", "Class Time"]) */
export const suggestBookingMapping = (headers: readonly string[]): BookingMapping => suggestColumns(headers, KnownColumns);

export function bookingMappingProblem(mapping: BookingMapping, headers: readonly string[]): string | null {
  const missing = missingColumn(mapping, headers);
  if (missing) return missing;
  if (mapping.email === undefined)
    return "Pick the column that holds the member's email address: bookings are matched to members by email.";
  if (mapping.classType === undefined) return "Pick the column that holds the class's name (its class type).";
  if (mapping.date === undefined) return "Pick the column that holds the class's date (and time, or pick the time column too).";
  return null;
}

/** One booking as the file describes it, read: the class is still to be found. */
export interface BookingRow {
  line: number;
  email: string;
  classTypeId: string;
  classTypeName: string;
  date: string;
  time: string;
}

/** Reads every data row; `classTypes`: the gym's class types (matched by name, any case). */
export function readBookingRows(
  records: readonly (readonly string[])[],
  headers: readonly string[],
  mapping: BookingMapping,
  classTypes: readonly { id: string; name: string }[],
): { rows: BookingRow[]; errors: RowError<BookingField>[] } {
  const typeByKey = new Map(classTypes.map((t) => [nameKey(t.name), t]));
  const seen = new Map<string, number>();
  return readRows(records, headers, mapping, (cells) => {
    const email = readEmail(cells, "No email address — bookings are matched to members by email.");
    const type = readNamed(
      cells,
      "classType",
      typeByKey,
      "No class name.",
      (text) => `No class type named "${text}" in this gym — add it on Schedule first.`,
    );
    const { date, time } = readClassTime(cells);
    const key = `${email}|${type?.id}|${date}|${time}`;
    if (!cells.failed() && seen.has(key)) cells.fail("row", `The same booking as line ${seen.get(key)}.`);
    else seen.set(key, cells.line);
    return () => ({ line: cells.line, email: email!, classTypeId: type!.id, classTypeName: type!.name, date: date!, time: time! });
  });
}

/** A class as the check needs it: when it starts, when booking opens and closes, its spots and live bookings. */
export interface ImportableClass {
  sessionId: string;
  startsAt: Instant;
  status: string;
  capacity: number;
  bookingOpensAt: Instant;
  bookingClosesAt: Instant;
  /** Live bookings (booked or checked in) now. */
  taken: number;
}

export type BookingAction = "book" | "matched";

/**
 * Checks each read row against its class and the member: the class must exist, be scheduled and ahead, take bookings
 * now, and — counting every row of the file for it — have a spot for each; the member must be an active member. A
 * member already booked in that class is `matched` (left as is). Rows past a class's last spot get the error, so the
 * file never asks a class for more than it holds.
 */
export function checkBookings(
  rows: readonly (BookingRow & { startsAt: Instant })[],
  find: {
    cls: (row: BookingRow & { startsAt: Instant }) => ImportableClass | undefined;
    member: (email: string) => { memberId: string; status: string } | undefined;
    booked: (sessionId: string, memberId: string) => boolean;
    /** On the class's waitlist: the room would refuse the booking, so the row is refused here. */
    waiting: (sessionId: string, memberId: string) => boolean;
  },
  now: Instant,
  timeZone: string,
): { booking: { row: BookingRow; sessionId: string; memberId: string; action: BookingAction }[]; errors: RowError<BookingField>[] } {
  const errors: RowError<BookingField>[] = [];
  const booking: { row: BookingRow; sessionId: string; memberId: string; action: BookingAction }[] = [];
  const added = new Map<string, number>();
  for (const row of rows) {
    const fail = (field: BookingField | "row", message: string) => errors.push({ line: row.line, field, message });
    const member = find.member(row.email);
    const cls = find.cls(row);
    // The date in full: a file spans weeks, so a weekday alone would be ambiguous.
    const when = `${row.date} ${row.time}`;
    if (!member) fail("email", `No member with the email ${row.email} — import your members first.`);
    else if (member.status !== "active")
      fail("email", `The membership of ${row.email} is ${member.status.replace("_", " ")} — only active members are booked.`);
    if (!cls) {
      fail("date", `No ${row.classTypeName} class on ${when} — check the date and time (the gym's time zone) or add the class first.`);
      continue;
    }
    if (cls.status !== "scheduled") fail("date", `The ${row.classTypeName} class on ${when} is ${cls.status} — it takes no bookings.`);
    else if (cls.startsAt <= now) fail("date", `The ${row.classTypeName} class on ${when} is in the past — import only upcoming bookings.`);
    else if (now < cls.bookingOpensAt)
      fail(
        "date",
        `Booking for the ${row.classTypeName} class on ${when} opens ${formatWhen(cls.bookingOpensAt, timeZone)} — import it then.`,
      );
    else if (now >= cls.bookingClosesAt) fail("date", `Booking for the ${row.classTypeName} class on ${when} has closed.`);
    if (!member || errors.some((e) => e.line === row.line)) continue;
    if (find.booked(cls.sessionId, member.memberId)) {
      booking.push({ row, sessionId: cls.sessionId, memberId: member.memberId, action: "matched" });
      continue;
    }
    if (find.waiting(cls.sessionId, member.memberId)) {
      fail(
        "email",
        `${row.email} is on the waitlist of the ${row.classTypeName} class on ${when} — take them off the waitlist first, or leave this row out.`,
      );
      continue;
    }
    const taking = (added.get(cls.sessionId) ?? 0) + 1;
    if (cls.taken + taking > cls.capacity) {
      fail(
        "row",
        `The ${row.classTypeName} class on ${when} has ${cls.capacity} spots and ${cls.taken} are booked — this row is one too many. Leave it out or raise the capacity first.`,
      );
      continue;
    }
    added.set(cls.sessionId, taking);
    booking.push({ row, sessionId: cls.sessionId, memberId: member.memberId, action: "book" });
  }
  return { booking, errors };
}
