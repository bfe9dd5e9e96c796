/**
 * Reading an import's CSV file (members, plans held, upcoming bookings): papaparse in streaming mode, never a
 * hand-written parser, fed the upload's pieces as they arrive (no whole-file string); a byte-order mark dropped;
 * refused in words when empty or longer than the kind's row cap. And the error every commit answers while a row has a
 * problem (nothing imported).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Papa from "papaparse";
import type { RowError } from "../../domain/admin/importColumns.js";
import { DomainError } from "../../domain/errors.js";

/** Errors shown per import; the report's count says how many there are in all. */
export const MAX_ERRORS_SHOWN = 200;

/** Thrown while reading a file once it has more rows than its kind imports: the parser stopped there (not held in memory). */
export class TooManyRows extends Error {
  constructor(readonly maxRows: number) {
    super(`more than ${maxRows} rows`);
  }
  /** The refusal in words (the same as {@link parseImportFile}'s cap). */
  get error(): DomainError {
    return tooManyRows(`more than ${this.maxRows}`, this.maxRows);
  }
}

const tooManyRows = (rows: number | string, maxRows: number) =>
  new DomainError("VALIDATION_FAILED", `The file has ${rows} rows; import at most ${maxRows} at a time (split the file).`);

/**
 * The rows of a CSV file arriving in pieces (UTF-8, a leading byte-order mark dropped, empty lines skipped), parsed as
 * they come. An error of `pieces` (the upload past its cap, the client gone) is this one's. Past `maxRows` records
 * (and the header) it stops reading and throws {@link TooManyRows}.
 */
export async function readCsvRows(pieces: AsyncIterable<Uint8Array>, maxRows = Infinity): Promise<string[][]> {
  const rows: string[][] = [];
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: "greedy" }) as unknown as NodeJS.ReadWriteStream;
  let over = false;
  const collect = async (parsed: AsyncIterable<unknown>) => {
    for await (const row of parsed) {
      // Throwing here ends the pipeline: the parser and the upload are not read further.
      if ((over = rows.length > maxRows)) throw new TooManyRows(maxRows);
      rows.push(row as string[]);
    }
  };
  try {
    await pipeline(Readable.from(utf8Text(pieces)), parser, collect);
  } catch (err) {
    // The pipeline may answer the streams' own AbortError for the stop: the reason is the row cap.
    if (over) throw new TooManyRows(maxRows);
    throw err;
  }
  return rows;
}

/**
 * The text of UTF-8 pieces (a character split between pieces joined; the byte-order mark dropped by the decoder).
 * Held back until the first whole line break (or the end): papaparse guesses the file's line ending from its first piece.
 */
async function* utf8Text(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let head: string | null = "";
  for await (const piece of pieces) {
    const text = decoder.decode(piece, { stream: true });
    if (head === null) {
      if (text) yield text;
      continue;
    }
    head += text;
    if (/\n|\r[^\n]/.test(head)) {
      yield head;
      head = null;
    }
  }
  const rest = (head ?? "") + decoder.decode();
  if (rest) yield rest;
}

/** The header and the records of a file's rows, or why it can't be read. `what`: the rows' words ("members", "bookings"). */
export function parseImportFile(
  rows: readonly string[][],
  what: string,
  maxRows: number,
): { headers: string[]; records: string[][] } | DomainError {
  const [header, ...records] = rows;
  if (!header || header.every((h) => h.trim() === ""))
    return new DomainError("VALIDATION_FAILED", `The file is empty — export your ${what} as CSV with a header row.`);
  if (records.length === 0) return new DomainError("VALIDATION_FAILED", `The file has a header but no ${what}.`);
  if (records.length > maxRows) return tooManyRows(records.length, maxRows);
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
