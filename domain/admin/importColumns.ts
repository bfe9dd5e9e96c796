/**
 * What every CSV import shares (members, plans held, upcoming bookings — docs/domain.md "Importing members"): column
 * names compared loosely, a suggested mapping from the headers, a cell reader, and dates and times as other systems
 * export them. Pure: the file arrives parsed into rows of strings (papaparse, in `app/admin/importFile.ts`).
 */

/** Why a row can't be imported: its line (the header is line 1), the field and what to do. */
export interface RowError<F extends string = string> {
  line: number;
  field: F | "row";
  message: string;
}

/** Which column (its header, as in the file) fills which field; a field without a column stays empty. */
export type ColumnMapping<F extends string> = Partial<Record<F, string>>;

/** A header as known column names are compared: without case, spaces, dashes, dots and underscores. */
export const columnKey = (header: string) => header.toLowerCase().replace(/[\s_\-.]/g, "");

/** Each known column name (as {@link columnKey}) to its field, the first column winning. */
export function suggestColumns<F extends string>(headers: readonly string[], known: Readonly<Record<string, F>>): ColumnMapping<F> {
  const mapping: ColumnMapping<F> = {};
  for (const h of headers) {
    const field = known[columnKey(h)];
    if (field && mapping[field] === undefined) mapping[field] = h;
  }
  return mapping;
}

/** The first column the mapping names that the file doesn't have, in words; null when all are there. */
export function missingColumn(mapping: Readonly<Record<string, string | undefined>>, headers: readonly string[]): string | null {
  for (const [field, header] of Object.entries(mapping)) {
    if (header !== undefined && !headers.includes(header)) return `The file has no column "${header}" (for ${field}).`;
  }
  return null;
}

/** Reads a row's cells by field (trimmed; "" for a field without a column). */
export function cellReader<F extends string>(mapping: ColumnMapping<F>, headers: readonly string[]) {
  const col = new Map<string, number>(Object.entries(mapping).map(([field, header]) => [field, headers.indexOf(header as string)]));
  return (record: readonly string[], field: F): string => {
    const at = col.get(field);
    return at === undefined || at < 0 ? "" : (record[at] ?? "").trim();
  };
}

/** What Mindbody, Glofox and PushPress call a member's email address (column keys as `columnKey` makes them). */
export const EmailColumns = {
  email: "email",
  emailaddress: "email",
  clientemail: "email",
  memberemail: "email",
} as const satisfies Record<string, "email">;

/**
 * What Mindbody, Glofox and PushPress call a class's name, date and start time (column keys as `columnKey` makes
 * them), shared by the bookings and classes imports.
 */
export const ClassTimeColumns = {
  class: "classType",
  classname: "classType",
  classtype: "classType",
  service: "classType",
  servicename: "classType",
  program: "classType",
  programname: "classType",
  event: "classType",
  eventname: "classType",
  date: "date",
  classdate: "date",
  eventdate: "date",
  startdate: "date",
  start: "date",
  startsat: "date",
  startdatetime: "date",
  classstart: "date",
  time: "time",
  classtime: "time",
  starttime: "time",
  eventtime: "time",
} as const satisfies Record<string, "classType" | "date" | "time">;

/** An email address as imports check it (after `normalEmail`). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Control characters (other than tab and line breaks) never reach a profile, as `storableText` refuses them from the protocol. */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return true;
  }
  return false;
}

/**
 * A date as exports write it: ISO ("2024-03-01", also with a time), US ("3/1/2024", Mindbody and PushPress) or
 * European with dots ("1.3.2024"). Null when it is not a real date.
 */
export function importDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/.exec(t))) [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: .*)?$/.exec(t))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A time of day as exports write it — "18:00", "6:00 PM", "6pm", also after a date ("2026-12-08 18:00",
 * "12/8/2026 6:00 PM") — as "HH:MM"; null when there is none or it is not a time.
 * @example importTime("6:30 PM") // "18:30"
 */
export function importTime(text: string): string | null {
  const match = /(?:^|[T ])(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*([ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!match || (match[2] === undefined && match[3] === undefined)) return null;
  let h = Number(match[1]);
  const mi = Number(match[2] ?? 0);
  const half = match[3]?.toLowerCase().replace(/\./g, "");
  if (half !== undefined) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === "pm" ? 12 : 0);
  }
  if (h > 23 || mi > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`;
}
