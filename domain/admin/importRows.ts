/**
 * How every CSV import reads its data rows (members, plans held, bookings, classes, visits): each row on its line
 * (the header is line 1), each problem said in words against its field, a row with any problem left out whole. The
 * cells every import reads the same way (an email, a class's date and start time, a name of the gym's) read here.
 */
import { cellReader, EMAIL, hasControl, importDate, importTime, type ColumnMapping, type RowError } from "./importColumns.js";
import { normalEmail } from "./members.js";

/** One data row as an import reads it. */
export interface RowCells<F extends string> {
  /** Its line in the file, as a spreadsheet numbers it. */
  line: number;
  /** The cell of a field: trimmed, "" for a field without a column. */
  get(field: F): string;
  /** Whether the mapping gives the field a column. */
  has(field: F): boolean;
  /** Notes a problem of the row; the row is then left out. */
  fail(field: F | "row", message: string): void;
  /** Whether the row has a problem so far. */
  failed(): boolean;
}

/**
 * Reads every data row (`records` without the header) with `read`, which checks the row's cells and hands back how to
 * build the row: that is called only for a row without problems. A row holding control characters is refused first.
 */
export function readRows<F extends string, R>(
  records: readonly (readonly string[])[],
  headers: readonly string[],
  mapping: ColumnMapping<F>,
  read: (cells: RowCells<F>) => () => R,
): { rows: R[]; errors: RowError<F>[] } {
  const get = cellReader(mapping, headers);
  const rows: R[] = [];
  const errors: RowError<F>[] = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const problems: RowError<F>[] = [];
    const cells: RowCells<F> = {
      line,
      get: (field) => get(record, field),
      has: (field) => mapping[field] !== undefined,
      fail: (field, message) => problems.push({ line, field, message }),
      failed: () => problems.length > 0,
    };
    if (record.some(hasControl)) cells.fail("row", "Holds control characters — save the file again as plain CSV (UTF-8).");
    const build = read(cells);
    if (problems.length > 0) errors.push(...problems);
    else rows.push(build());
  });
  return { rows, errors };
}

/** A date cell that holds no date, in words. */
export const notADate = (text: string) => `"${text}" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.`;

/** The row's email address, normalised; null (and the row failed) when it is empty (`none` says why it is needed) or no address. */
export function readEmail(cells: RowCells<"email">, none: string): string | null {
  const email = normalEmail(cells.get("email"));
  if (!email) cells.fail("email", none);
  else if (!EMAIL.test(email) || email.length > 320) cells.fail("email", `"${cells.get("email")}" is not an email address.`);
  else return email;
  return null;
}

/** A class's date and start time (the time from the date's cell when the mapping has no time column); null when not read. */
export function readClassTime(cells: RowCells<"date" | "time">): { date: string | null; time: string | null } {
  const dateText = cells.get("date");
  const date = importDate(dateText);
  if (date === null) cells.fail("date", dateText ? notADate(dateText) : "No date.");
  const timeText = cells.has("time") ? cells.get("time") : dateText;
  const time = importTime(timeText);
  if (time === null) cells.fail("time", timeText ? `"${timeText}" is not a time of day — use 18:00 or 6:00 PM.` : "No start time.");
  return { date, time };
}

/** Names as imports match them: trimmed, without case. */
export const nameKey = (name: string) => name.trim().toLowerCase();

/**
 * Something of the gym the row names in `field` (a class type, a plan), looked up in `byName` (keyed by {@link nameKey});
 * the row fails with `none` when the cell is empty, with `unknown(text)` when the gym has nothing of that name.
 */
export function readNamed<F extends string, T>(
  cells: RowCells<F>,
  field: F,
  byName: ReadonlyMap<string, T>,
  none: string,
  unknown: (text: string) => string,
): T | undefined {
  const text = cells.get(field);
  const found = byName.get(text.toLowerCase());
  if (!text) cells.fail(field, none);
  else if (found === undefined) cells.fail(field, unknown(text));
  return found;
}
