/**
 * Importing visit history from a CSV file (issue 18, docs/domain.md "Importing visit history"): an owner uploads
 * another system's export of who came to which class, sees a dry run (every row's problem in words: unknown member,
 * a class the schedule doesn't have, one not started yet or cancelled), then imports it, all or nothing, through
 * `importHistory` (`app/setup/importHistory.ts`: a booking, a check-in and an attendance event per visit, or a
 * no-show; one audited transaction). A member already in that class — imported before, or twice in the file — is
 * matched and left as is, so importing the same file again adds nothing.
 */
import type { RowError } from "../../domain/admin/importColumns.js";
import {
  MAX_VISIT_ROWS,
  readVisitRows,
  suggestVisitMapping,
  visitMappingProblem,
  type VisitField,
  type VisitMapping,
} from "../../domain/admin/visitImport.js";
import { DomainError } from "../../domain/errors.js";
import { zonedInstant } from "../../domain/schedule/timeZone.js";
import { importHistory, type HistoryPorts, type HistoryVisit } from "../setup/importHistory.js";
import { importReport, parseImportFile, rowsHaveErrors, type ImportReportOf } from "./importFile.js";
import type { AdminActor, StandingNotifier } from "./ports.js";

export interface VisitImportReads {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  classTypes(gymId: string): Promise<{ id: string; name: string }[]>;
  /** Of `emails`, the members of the gym (any status: history), email → user id. */
  members(gymId: string, emails: readonly string[]): Promise<Map<string, string>>;
  /** Of these, the gym's classes, as `classTypeId@startsAt`. */
  classes(
    gymId: string,
    wanted: readonly { classTypeId: string; startsAt: number }[],
  ): Promise<Map<string, { sessionId: string; status: string }>>;
  /** Of these classes, the members with a booking in any state, as `sessionId:memberId`. */
  booked(gymId: string, sessionIds: readonly string[]): Promise<Set<string>>;
}

export interface VisitImportPorts {
  reads: { read<T>(work: (r: VisitImportReads) => Promise<T>): Promise<T> };
  /** Where the visits are written: the visit history import's transaction and its audit row. */
  history: HistoryPorts;
  notes: Pick<StandingNotifier, "gymChanged">;
}

export type VisitAction = "checkedIn" | "noShow" | "matched";
export type VisitReport = ImportReportOf<VisitField, VisitAction>;

export async function importVisitFile(
  ports: VisitImportPorts,
  actor: AdminActor,
  input: { rows: readonly string[][]; mapping?: VisitMapping | undefined; commit: boolean },
): Promise<VisitReport | DomainError> {
  const file = parseImportFile(input.rows, "visits", MAX_VISIT_ROWS);
  if (file instanceof DomainError) return file;
  const mapping = input.mapping ?? suggestVisitMapping(file.headers);
  const counts = { checkedIn: 0, noShow: 0, matched: 0 };
  const problem = visitMappingProblem(mapping, file.headers);
  if (problem) return importReport(file, mapping, [{ line: 1, field: "row", message: problem }], counts, false);
  const d = await ports.reads.read(async (r) => {
    const timeZone = (await r.gym(actor.gymId))?.timeZone ?? "UTC";
    const read = readVisitRows(file.records, file.headers, mapping, await r.classTypes(actor.gymId));
    const rows = read.rows.map((row) => ({ ...row, startsAt: zonedInstant(row.date, row.time, timeZone) }));
    const members = await r.members(
      actor.gymId,
      rows.map((row) => row.email),
    );
    const classes = await r.classes(
      actor.gymId,
      rows.map((row) => ({ classTypeId: row.classTypeId, startsAt: row.startsAt })),
    );
    const booked = await r.booked(
      actor.gymId,
      [...classes.values()].map((c) => c.sessionId),
    );
    return { rows, members, classes, booked, errors: [...read.errors] };
  });
  const errors: RowError<VisitField>[] = d.errors;
  const visits: (HistoryVisit & { line: number })[] = [];
  const seen = new Set(d.booked);
  for (const row of d.rows) {
    const fail = (field: VisitField | "row", message: string) => errors.push({ line: row.line, field, message });
    const what = `the ${row.classTypeName} class on ${row.date} ${row.time}`;
    const memberId = d.members.get(row.email);
    const cls = d.classes.get(`${row.classTypeId}@${row.startsAt}`);
    if (!memberId) fail("email", `No member with the email ${row.email} — import your members first.`);
    if (!cls) fail("date", `No ${what.slice(4)} — check the date and time (the gym's time zone) or import the class history first.`);
    else if (cls.status === "cancelled") fail("date", `${capital(what)} was cancelled — nobody came to it.`);
    else if (row.startsAt > actor.now) fail("date", `${capital(what)} hasn't started — import it with the upcoming bookings instead.`);
    if (!memberId || !cls || cls.status === "cancelled" || row.startsAt > actor.now) continue;
    const key = `${cls.sessionId}:${memberId}`;
    if (seen.has(key)) {
      counts.matched += 1;
      continue;
    }
    seen.add(key);
    counts[row.outcome === "no_show" ? "noShow" : "checkedIn"] += 1;
    visits.push({ line: row.line, sessionId: cls.sessionId, memberId, outcome: row.outcome });
  }
  errors.sort((a, b) => a.line - b.line);
  if (!input.commit) return importReport(file, mapping, errors, counts, false);
  if (errors.length > 0) return rowsHaveErrors(errors);
  if (visits.length > 0) {
    // No-show fees stay with the old system (it settled them); the history records who didn't come.
    const done = await importHistory(ports.history, actor, { visits: visits.map(({ line: _l, ...v }) => v), noShowFees: false });
    if (done === null) return new DomainError("NOT_FOUND", "No such gym.");
    // A row that changed between the dry run and the import (someone added the same visit): said by its line.
    if (done instanceof DomainError)
      return new DomainError(
        done.code,
        done.message.replace(/^Visit (\d+):/, (_m, n: string) => `Line ${visits[Number(n) - 1]?.line ?? n}:`),
      );
    ports.notes.gymChanged(actor.gymId);
  }
  return importReport(file, mapping, [], counts, true);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
