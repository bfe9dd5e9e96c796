/**
 * Importing classes from a CSV file (issue 18): an owner uploads another system's export of classes (past ones
 * included — a history), sees a dry run (every row's problem in words; classes already on the schedule — same class
 * type, start and location — listed as duplicates and skipped), then imports it, all or nothing, through
 * `importClasses` (one audited transaction; class types the gym lacks are added). Importing the same file again adds
 * nothing.
 */
import {
  classMappingProblem,
  MAX_CLASS_ROWS,
  readClassRows,
  suggestClassMapping,
  type ClassField,
  type ClassImportPlace,
  type ClassMapping,
} from "../../domain/admin/classImport.js";
import { DomainError } from "../../domain/errors.js";
import { zonedInstant } from "../../domain/schedule/timeZone.js";
import { importClasses, type ClassImport } from "../setup/importClasses.js";
import type { SetupPorts } from "../setup/ports.js";
import { importReport, MAX_ERRORS_SHOWN, parseImportFile, rowsHaveErrors, type ImportReportOf } from "./importFile.js";
import type { AdminActor } from "./ports.js";

export interface ClassImportReads {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  place(gymId: string): Promise<ClassImportPlace>;
  /** Of these, the classes already on the gym's schedule (any status), as `classTypeId|startsAt|locationId`. */
  existing(gymId: string, wanted: readonly { classTypeId: string; startsAt: number; locationId: string }[]): Promise<Set<string>>;
}

export interface ClassImportPorts {
  reads: { read<T>(work: (r: ClassImportReads) => Promise<T>): Promise<T> };
  /** Where the classes are written: `importClasses`' transaction, its audit rows and the live gym room. */
  setup: Pick<SetupPorts, "store" | "live" | "newId">;
}

export type ClassAction = "add" | "newTypes" | "duplicate";
/** A dry run's or an import's report; `duplicates`: the rows skipped as already there (the first 200). */
export type ClassReport = ImportReportOf<ClassField, ClassAction> & { duplicates: { line: number; message: string }[] };

export async function importClassFile(
  ports: ClassImportPorts,
  actor: AdminActor,
  input: { rows: readonly string[][]; mapping?: ClassMapping | undefined; commit: boolean },
): Promise<ClassReport | DomainError> {
  const file = parseImportFile(input.rows, "classes", MAX_CLASS_ROWS);
  if (file instanceof DomainError) return file;
  const mapping = input.mapping ?? suggestClassMapping(file.headers);
  const counts = { add: 0, newTypes: 0, duplicate: 0 };
  const problem = classMappingProblem(mapping, file.headers);
  if (problem) return { ...importReport(file, mapping, [{ line: 1, field: "row", message: problem }], counts, false), duplicates: [] };
  const d = await ports.reads.read(async (r) => {
    const timeZone = (await r.gym(actor.gymId))?.timeZone ?? "UTC";
    const read = readClassRows(file.records, file.headers, mapping, await r.place(actor.gymId));
    const rows = read.rows.map((row) => ({ ...row, startsAt: zonedInstant(row.date, row.time, timeZone) }));
    const known = rows.flatMap((row) => (row.classTypeId ? [{ ...row, classTypeId: row.classTypeId }] : []));
    return { rows, errors: read.errors, existing: await r.existing(actor.gymId, known) };
  });
  const seen = new Map<string, number>();
  const duplicates: { line: number; message: string }[] = [];
  const adding: typeof d.rows = [];
  for (const row of d.rows) {
    const key = `${row.classTypeId ?? row.classTypeName.toLowerCase()}|${row.startsAt}|${row.locationId}`;
    const what = `${row.classTypeName} on ${row.date} ${row.time}`;
    if (d.existing.has(key)) duplicates.push({ line: row.line, message: `${what} is already on the schedule at that location — skipped.` });
    else if (seen.has(key)) duplicates.push({ line: row.line, message: `${what} is the same class as line ${seen.get(key)} — skipped.` });
    else {
      seen.set(key, row.line);
      adding.push(row);
    }
  }
  const newTypes = [
    ...new Map(adding.filter((r) => !r.classTypeId).map((r) => [r.classTypeName.toLowerCase(), r.classTypeName])).entries(),
  ];
  counts.add = adding.length;
  counts.newTypes = newTypes.length;
  counts.duplicate = duplicates.length;
  const shown = duplicates.slice(0, MAX_ERRORS_SHOWN);
  if (!input.commit) return { ...importReport(file, mapping, d.errors, counts, false), duplicates: shown };
  if (d.errors.length > 0) return rowsHaveErrors(d.errors);
  if (adding.length > 0) {
    const plan: ClassImport = {
      unique: true,
      classTypes: newTypes.map(([ref, name]) => ({ ref: `new:${ref}`, name })),
      classes: adding.map((row) => ({
        classTypeId: row.classTypeId ?? `new:${row.classTypeName.toLowerCase()}`,
        locationId: row.locationId,
        roomId: row.roomId,
        capacity: row.capacity,
        durationMinutes: row.durationMinutes,
        startsAt: row.startsAt,
      })),
    };
    const done = await importClasses(ports.setup, actor, plan);
    if (done === null) return new DomainError("NOT_FOUND", "No such gym.");
    if (done instanceof DomainError) return done;
  }
  return { ...importReport(file, mapping, [], counts, true), duplicates: shown };
}
