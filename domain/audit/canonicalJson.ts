/**
 * Canonical JSON for hashing audit rows: object keys sorted, no whitespace, `undefined` members dropped.
 * Values read back from `jsonb` (which reorders keys) give the same text as at write time.
 *
 * Written as one pass into one string (no entry arrays, no per-level joins): every audit row of every
 * commit goes through it.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Default sort orders by UTF-16 code units, as `a < b` does.
  const names = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const name of names) {
    const v = record[name];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(name)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}
