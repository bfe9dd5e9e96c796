/** CSV text for the exports and reports: every field defused against spreadsheet formula injection. */

/** A whole value that is only a phone number ("+49 30 1234-567") cannot run as a formula, so it keeps no apostrophe. */
const PHONE = /^\+[0-9 ()-]{6,20}$/;

/** One CSV field: quoted when needed, and defused against spreadsheet formula injection (phone numbers stay as typed). */
export function csvField(value: unknown): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !PHONE.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Lines of values as CSV text (CRLF line ends, one after the last line). */
export const csv = (lines: unknown[][]): string => lines.map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
