/**
 * Importing visit history (issue 18, docs/domain.md "Importing visit history"): which column is which (Mindbody,
 * Glofox and PushPress names, or the owner's mapping) and each row read in words — the member's email, the class
 * (its class type, date and start time in the gym's zone: a class of the schedule, e.g. from the classes import) and
 * what came of it (checked in, the default, or a no-show). Pure: the gym's class types arrive as plain values.
 */
import { ClassTimeColumns, EmailColumns, missingColumn, suggestColumns, type ColumnMapping, type RowError } from "./importColumns.js";
import { nameKey, readClassTime, readEmail, readNamed, readRows } from "./importRows.js";

export const VisitFields = ["email", "classType", "date", "time", "outcome"] as const;
export type VisitField = (typeof VisitFields)[number];
export type VisitMapping = ColumnMapping<VisitField>;

/** The most rows one visits file may hold (a few years of a small gym's visits; split a larger history). */
export const MAX_VISIT_ROWS = 20_000;

const KnownColumns: Record<string, VisitField> = {
  ...EmailColumns,
  ...ClassTimeColumns,
  visitdate: "date",
  checkindate: "date",
  checkin: "date",
  checkedinat: "date",
  attendeddate: "date",
  visittime: "time",
  checkintime: "time",
  outcome: "outcome",
  status: "outcome",
  attendance: "outcome",
  visitstatus: "outcome",
  attended: "outcome",
};

/** What came of a visit, as exports write it (any case); an empty cell is a visit: checked in. */
const Outcomes: Record<string, VisitOutcome> = {
  "": "checked_in",
  checkedin: "checked_in",
  attended: "checked_in",
  present: "checked_in",
  visited: "checked_in",
  signedin: "checked_in",
  completed: "checked_in",
  yes: "checked_in",
  noshow: "no_show",
  absent: "no_show",
  missed: "no_show",
  no: "no_show",
};

export type VisitOutcome = "checked_in" | "no_show";

/** @example suggestVisitMapping(["Client Email", "Visit Date", "Visit Time", "Class Name"]) */
export const suggestVisitMapping = (headers: readonly string[]): VisitMapping => suggestColumns(headers, KnownColumns);

export function visitMappingProblem(mapping: VisitMapping, headers: readonly string[]): string | null {
  const missing = missingColumn(mapping, headers);
  if (missing) return missing;
  if (mapping.email === undefined) return "Pick the column that holds the member's email address: visits are matched to members by email.";
  if (mapping.classType === undefined) return "Pick the column that holds the class's name (its class type): visits are to classes.";
  if (mapping.date === undefined) return "Pick the column that holds the class's date (and time, or pick the time column too).";
  return null;
}

/** One visit as the file describes it, read: the member and the class are still to be found. */
export interface VisitRow {
  line: number;
  email: string;
  date: string;
  time: string;
  classTypeId: string;
  classTypeName: string;
  outcome: VisitOutcome;
}

/** Reads every data row; `classTypes`: the gym's class types (matched by name, any case). */
export function readVisitRows(
  records: readonly (readonly string[])[],
  headers: readonly string[],
  mapping: VisitMapping,
  classTypes: readonly { id: string; name: string }[],
): { rows: VisitRow[]; errors: RowError<VisitField>[] } {
  const typeByKey = new Map(classTypes.map((t) => [nameKey(t.name), t]));
  return readRows(records, headers, mapping, (cells) => {
    const email = readEmail(cells, "No email address — visits are matched to members by email.");
    const { date, time } = readClassTime(cells);
    const type = readNamed(
      cells,
      "classType",
      typeByKey,
      "No class name.",
      (text) => `No class type named "${text}" in this gym — import the class history first (Schedule → Import classes).`,
    );
    const outcomeText = cells.get("outcome");
    const outcome = Outcomes[outcomeText.toLowerCase().replace(/[\s_\-.]/g, "")];
    if (!outcome) cells.fail("outcome", `"${outcomeText}" is not an outcome — use "checked in" or "no-show" (empty: checked in).`);
    return () => ({
      line: cells.line,
      email: email!,
      date: date!,
      time: time!,
      classTypeId: type!.id,
      classTypeName: type!.name,
      outcome: outcome!,
    });
  });
}
