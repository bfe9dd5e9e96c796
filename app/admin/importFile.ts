/**
 * Reading an import's CSV file (members, plans held, upcoming bookings): papaparse, never a hand-written parser; a
 * byte-order mark dropped; refused in words when empty or longer than the kind's row cap. And the error every commit
 * answers while a row has a problem (nothing imported).
 */
import Papa from "papaparse";
import type { RowError } from "../../domain/admin/importColumns.js";
import { DomainError } from "../../domain/errors.js";

/** Errors shown per import; the report's count says how many there are in all. */
export const MAX_ERRORS_SHOWN = 200;

/** The header and the records of a file, or why it can't be read. `what`: the rows' words ("members", "bookings"). */
export function parseImportFile(csv: string, what: string, maxRows: number): { headers: string[]; records: string[][] } | DomainError {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...records] = parsed.data;
  if (!header || header.every((h) => h.trim() === ""))
    return new DomainError("VALIDATION_FAILED", `The file is empty — export your ${what} as CSV with a header row.`);
  if (records.length === 0) return new DomainError("VALIDATION_FAILED", `The file has a header but no ${what}.`);
  if (records.length > maxRows)
    return new DomainError(
      "VALIDATION_FAILED",
      `The file has ${records.length} rows; import at most ${maxRows} at a time (split the file).`,
    );
  return { headers: header.map((h) => h.trim()), records };
}

/** The refusal of a commit while rows have errors: nothing was imported. */
export function rowsHaveErrors(errors: readonly RowError[]): DomainError {
  const lines = new Set(errors.map((e) => e.line)).size;
  return new DomainError(
    "VALIDATION_FAILED",
    `${lines} ${lines === 1 ? "row has" : "rows have"} errors — fix or remove ${lines === 1 ? "it" : "them"} and import again. Nothing was imported.`,
  );
}

/** What a dry run found, or what an import did; `counts` by the kind's actions. */
export interface ImportReportOf<F extends string, A extends string> {
  columns: string[];
  mapping: Partial<Record<F, string>>;
  /** The first rows as in the file, for the mapping step. */
  sample: string[][];
  rows: number;
  errors: RowError<F>[];
  errorCount: number;
  counts: Record<A, number>;
  committed: boolean;
}

/** A report of `errors` (the first {@link MAX_ERRORS_SHOWN}) over the file's columns and first rows. */
export function importReport<F extends string, A extends string>(
  file: { headers: string[]; records: string[][] },
  mapping: Partial<Record<F, string>>,
  errors: readonly RowError<F>[],
  counts: Record<A, number>,
  committed: boolean,
): ImportReportOf<F, A> {
  return {
    columns: file.headers,
    mapping,
    sample: file.records.slice(0, 5),
    rows: file.records.length,
    errors: errors.slice(0, MAX_ERRORS_SHOWN),
    errorCount: errors.length,
    counts,
    committed,
  };
}
