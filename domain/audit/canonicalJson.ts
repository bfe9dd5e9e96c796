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
    return typeof value === "string" ? quoted(value) : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const names = sortedKeys(record);
  let out = "{";
  let first = true;
  for (const name of names) {
    const v = record[name];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${quoted(name)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Above this many keys, `Array.prototype.sort` (its merge sort's work arrays cost less than the comparisons saved). */
const INSERTION_SORT_MAX = 16;

/**
 * The object's own keys in UTF-16 code-unit order (as the default `sort()` and `a < b` order them). Audit summaries
 * have a handful of keys, and `sort()` allocated ~0.9 kB of work arrays even for two: an in-place insertion sort
 * allocates nothing.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const names = Object.keys(record);
  if (names.length > INSERTION_SORT_MAX) return names.sort();
  for (let i = 1; i < names.length; i++) {
    const name = names[i]!;
    let j = i - 1;
    while (j >= 0 && names[j]! > name) {
      names[j + 1] = names[j]!;
      j--;
    }
    names[j + 1] = name;
  }
  return names;
}

/** What `JSON.stringify` escapes in a string: quote, backslash, control characters, and (when lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(text)`, without its string builder's buffer (~160 bytes for an id) when nothing needs escaping —
 * ids, actions, roles, ISO dates: every audit row quotes about ten.
 */
function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}
