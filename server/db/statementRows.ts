/**
 * Rows of a commit statement as one array parameter per column (`unnest`), not a `values` list of one tuple per
 * row. The statement's text then depends on which parts a commit has, not on how many rows each part writes, so
 * PostgreSQL parses and plans it once per connection (a named prepared statement, `roomRecords.ts`) instead of
 * once per commit — parsing and planning were about half of PostgreSQL's CPU for a commit.
 */

/** `unnest(?::uuid[], ?::varchar[], …)` over `rows` (each in `casts` order), and its parameters: one array literal per column. */
export function unnestRows(casts: readonly string[], rows: readonly (readonly unknown[])[]): { sql: string; params: string[] } {
  const params: string[] = new Array<string>(casts.length);
  const column: unknown[] = new Array<unknown>(rows.length);
  for (let i = 0; i < casts.length; i++) {
    for (let j = 0; j < rows.length; j++) column[j] = rows[j]![i];
    params[i] = arrayLiteral(column);
  }
  return { sql: `unnest(?::${casts.join("[], ?::")}[])`, params };
}

/**
 * A PostgreSQL array literal (`{"a",NULL,"b"}`) of scalar values, as text: every element quoted and escaped, so
 * any string — commas, quotes, braces, backslashes, the word NULL — reads back as itself. Dates as ISO instants,
 * objects as JSON, buffers as bytea hex.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  if (values.length === 1) return `{${element(values[0])}}`;
  const parts = new Array<string>(values.length);
  // A column of a batch repeats itself (its room, gym, type, node; the instants of commands in one millisecond): an
  // element equal to the one before is not quoted, scanned and formatted again.
  let last: unknown = undefined;
  let lastText = "NULL";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== last && !(v instanceof Date && last instanceof Date && v.getTime() === last.getTime())) {
      last = v;
      lastText = element(v);
    }
    parts[i] = lastText;
  }
  return `{${parts.join(",")}}`;
}

const ESCAPED = /[\\"]/g;

function element(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  // Strings (ids, names, JSON text) are most values: no call to find their text.
  const text = typeof v === "string" ? v : elementText(v);
  // Most values (ids, instants, numbers) have nothing to escape: no regex pass for them.
  return text.includes('"') || text.includes("\\") ? `"${text.replace(ESCAPED, "\\$&")}"` : `"${text}"`;
}

function elementText(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "t" : "f";
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString("hex")}`;
  return JSON.stringify(v);
}
