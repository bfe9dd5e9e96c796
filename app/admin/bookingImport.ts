/**
 * Importing upcoming bookings (issue 18): an owner uploads another system's export of future class bookings, sees a
 * dry run (every row's problem in words: unknown member or class, a class in the past or not yet bookable, more rows
 * than spots), then imports it. The bookings are made BY THE CLASS ROOMS, one `class:book` each as the owner — so a
 * class never holds more than its spots, live rosters update at once and each booking is decided, stored and audited
 * as the roster's would be. All or nothing: a file with any row error books nobody; if a room refuses a row at
 * commit (its class filled, a credit ran out meanwhile), the bookings this import made are cancelled again (no fee)
 * and the refusal is answered in staff words (who, which class). Idempotent: a member already booked in that class is left as is.
 */
import {
  bookingMappingProblem,
  checkBookings,
  MAX_BOOKING_ROWS,
  readBookingRows,
  suggestBookingMapping,
  type BookingAction,
  type BookingField,
  type BookingMapping,
  type ImportableClass,
} from "../../domain/admin/bookingImport.js";
import { bookingRefusal } from "../../domain/admin/bookingRefusals.js";
import type { RowError } from "../../domain/admin/importColumns.js";
import { DomainError } from "../../domain/errors.js";
import { zonedInstant } from "../../domain/schedule/timeZone.js";
import { importReport, parseImportFile, rowsHaveErrors, type ImportReportOf } from "./importFile.js";
import type { AdminActor, AdminAudit, ClassCommands } from "./ports.js";

export interface BookingImportReads {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  classTypes(gymId: string): Promise<{ id: string; name: string }[]>;
  /** The gym's classes of these types starting at these instants, with their live bookings counted. */
  classes(
    gymId: string,
    wanted: readonly { classTypeId: string; startsAt: number }[],
  ): Promise<(ImportableClass & { classTypeId: string })[]>;
  /** Of `emails`, the members of the gym, email → id, name and status. */
  members(gymId: string, emails: readonly string[]): Promise<Map<string, { memberId: string; name: string; status: string }>>;
  /** Of these classes, the live bookings, as `sessionId:memberId`. */
  booked(gymId: string, sessionIds: readonly string[]): Promise<Set<string>>;
  /** Of these classes, the places on the waitlist (waiting or offered), as `sessionId:memberId`. */
  waiting(gymId: string, sessionIds: readonly string[]): Promise<Set<string>>;
}

export interface BookingImportStore {
  read<T>(work: (r: BookingImportReads) => Promise<T>): Promise<T>;
  /** Writes the import's audit row (one transaction). */
  audit(actor: AdminActor, a: AdminAudit): Promise<void>;
}

export interface BookingImportPorts {
  store: BookingImportStore;
  classes: Pick<ClassCommands, "book" | "cancelBooking">;
}

export type BookingReport = ImportReportOf<BookingField, BookingAction>;

/** Room commands in flight at once: enough to keep the rooms' group commits full, few enough to be fair to others. */
const IN_FLIGHT = 16;

export async function importBookings(
  ports: BookingImportPorts,
  actor: AdminActor,
  input: { rows: readonly string[][]; mapping?: BookingMapping | undefined; commit: boolean },
): Promise<BookingReport | DomainError> {
  const file = parseImportFile(input.rows, "bookings", MAX_BOOKING_ROWS);
  if (file instanceof DomainError) return file;
  const mapping = input.mapping ?? suggestBookingMapping(file.headers);
  const problem = bookingMappingProblem(mapping, file.headers);
  if (problem) return importReport(file, mapping, [{ line: 1, field: "row", message: problem }], { book: 0, matched: 0 }, false);
  const d = await ports.store.read(async (r) => {
    const timeZone = (await r.gym(actor.gymId))?.timeZone ?? "UTC";
    const read = readBookingRows(file.records, file.headers, mapping, await r.classTypes(actor.gymId));
    const rows = read.rows.map((row) => ({ ...row, startsAt: zonedInstant(row.date, row.time, timeZone) }));
    const classes = await r.classes(actor.gymId, rows);
    const byKey = new Map(classes.map((c) => [`${c.classTypeId}@${c.startsAt}`, c]));
    const members = await r.members(
      actor.gymId,
      rows.map((row) => row.email),
    );
    const sessionIds = classes.map((c) => c.sessionId);
    const booked = await r.booked(actor.gymId, sessionIds);
    const waiting = await r.waiting(actor.gymId, sessionIds);
    const checked = checkBookings(
      rows,
      {
        cls: (row) => byKey.get(`${row.classTypeId}@${row.startsAt}`),
        member: (email) => members.get(email),
        booked: (sessionId, memberId) => booked.has(`${sessionId}:${memberId}`),
        waiting: (sessionId, memberId) => waiting.has(`${sessionId}:${memberId}`),
      },
      actor.now,
      timeZone,
    );
    const names = new Map([...members.values()].map((m) => [m.memberId, m.name]));
    return { ...checked, names, errors: [...read.errors, ...checked.errors].sort((a, b) => a.line - b.line) };
  });
  const counts = { book: 0, matched: 0 };
  for (const b of d.booking) counts[b.action] += 1;
  if (!input.commit) return importReport(file, mapping, d.errors, counts, false);
  if (d.errors.length > 0) return rowsHaveErrors(d.errors);

  const todo = d.booking.filter((b) => b.action === "book");
  const made: { sessionId: string; memberId: string }[] = [];
  const refused: RowError<BookingField>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const b = todo[next++]!;
      const ack = await ports.classes.book(actor.userId, b.sessionId, b.memberId);
      if (ack.ok) made.push(b);
      else if (ack.error.code === "ALREADY_BOOKED") counts.matched += 1;
      else {
        const member = d.names.get(b.memberId) || b.row.email;
        const when = `${b.row.date} ${b.row.time}`;
        refused.push({
          line: b.row.line,
          field: "row",
          message: bookingRefusal(ack.error.code, { member, classTypeName: b.row.classTypeName, when }),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, todo.length) }, worker));
  if (refused.length > 0) {
    // All or nothing: what this import booked is cancelled again by the same rooms (no fee, credits back).
    for (const m of made) await ports.classes.cancelBooking(actor.userId, m.sessionId, m.memberId);
    const first = refused.sort((a, b) => a.line - b.line)[0]!;
    return new DomainError(
      "VALIDATION_FAILED",
      `Line ${first.line}: ${first.message} — nothing was imported (${refused.length} ${refused.length === 1 ? "row was" : "rows were"} refused; the bookings this import made were cancelled again). Fix the file and import again.`,
    );
  }
  counts.book = made.length;
  await ports.store.audit(actor, {
    action: "gym:importBookings",
    entityType: "import",
    entityId: null,
    before: null,
    after: { rows: file.records.length, ...counts, columns: Object.keys(mapping).sort() },
  });
  return importReport(file, mapping, [], counts, true);
}
