/**
 * Storable text: the one definition every text field of every protocol schema uses.
 *
 * PostgreSQL `text` cannot hold NUL (the insert fails, and with it the whole group commit it shared) and stores a
 * lone surrogate as U+FFFD (the ack echoed words nobody else saw). Both are refused at the schema, so nothing
 * unstorable reaches a flush. Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) let a name or comment
 * render reversed ("‮gnp.exe") — they are stripped; ordinary right-to-left text needs none of them.
 */
import { z } from "zod";

/** Half of a surrogate pair: not text. */
const LoneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Bidi embedding/override (U+202A–U+202E) and isolate (U+2066–U+2069) controls. */
const BidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** Whether PostgreSQL stores `s` exactly as sent: no NUL, no lone surrogate. */
export const isStorable = (s: string): boolean => !s.includes("\0") && !LoneSurrogate.test(s);

/** The field message for text that is not storable. */
export const Unstorable = "Remove the broken character (a NUL or half of an emoji)";

/** `s` without bidi override and isolate controls. */
export const stripBidi = (s: string): string => s.replace(BidiControls, "");

/**
 * A storable string, bidi controls stripped and trimmed, `min`..`max` characters (counted after stripping).
 *
 * @example
 * storableText({ min: 1, max: 80, required: "Required" }) // a name
 */
export function storableText(o: { min?: number; max: number; required?: string; tooLong?: string }) {
  const trimmed = z.string().trim();
  const bounded = (o.min ? trimmed.min(o.min, o.required) : trimmed).max(o.max, o.tooLong);
  return z.string().refine(isStorable, Unstorable).transform(stripBidi).pipe(bounded);
}
