/** Hostile values: junk of any shape, wrong types, strings that trip encoders, keys that reach prototypes. */
import type { Dice } from "./dice.js";

/** Defines `key` as an own enumerable property, also for `__proto__` (which plain assignment would not). */
export function put(o: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

export const Numbers = [
  0,
  -1,
  1,
  0.5,
  -0.5,
  7,
  500,
  501,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  946_684_800_000,
  4_102_444_800_001,
  5e-324,
];
export const Strings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83d",
  "\u{1f4aa}",
  "\u202eevil",
  "\ufeffbom",
  "' OR 1=1 --",
  "%",
  "%00",
  "\\",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "${jndi:ldap://x/a}",
  "gym:",
  "class:",
  "user:",
  "__proto__",
  "constructor",
  "toString",
  "NaN",
  "Infinity",
  "null",
  "true",
  "[]",
  "{}",
  "x".repeat(65),
  "S1.a.b.c",
  "00000000-0000-0000-0000-000000000000",
];
/** Characters PostgreSQL text cannot hold as sent: NUL, lone surrogates (each frame mixes one in, sometimes beside a bidi override). */
export const Unstorable = ["\u0000", "\ud800", "\udfff", "x\ud83d", "\ude00y"];
export const BidiOverrides = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
/** Strings that trip encoders: NUL, lone surrogates, direction overrides, BOM, line separators, non-characters. */
export const Weird = ["\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "\u{1f4aa}", "\u202eevil", "\ufeffbom", "\u2028", "\uffff"];
export const KeyNames = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "memberId",
  "gymId",
  "role",
  "isStaff",
  "",
  " ",
  "\u0000",
  "sessionId",
  "payload",
  "k".repeat(200),
];
export const PrototypeKeys = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "isPrototypeOf"];

/** Any JSON value (nested up to three levels), with prototype-reaching keys. */
export function junk(d: Dice, depth: number): unknown {
  switch (d.int(0, 6)) {
    case 0:
      return null;
    case 1:
      return d.chance(0.5);
    case 2:
      return d.pick(Numbers);
    case 3:
      return d.pick(Strings);
    case 4:
      return d.text(d.int(0, 60));
    case 5:
      return depth > 2 ? [] : Array.from({ length: d.int(0, 4) }, () => junk(d, depth + 1));
    default: {
      if (depth > 2) return {};
      const o: Record<string, unknown> = {};
      for (let i = d.int(0, 4); i > 0; i--) put(o, d.pick([...KeyNames, "commandId", "room", "type"]), junk(d, depth + 1));
      return o;
    }
  }
}

/** A value of another type than a field expects. */
export function wrongType(d: Dice): unknown {
  return d.pick([
    () => d.pick(Numbers),
    () => d.chance(0.5),
    () => null,
    () => [],
    () => ({}),
    () => [d.pick(Strings)],
    () => d.pick(Strings),
  ])();
}

/** `payload` with one field removed, added, replaced by junk or of the wrong type, or another `memberId`. */
export function mutate(d: Dice, payload: unknown, memberId: () => string | undefined): unknown {
  if (!isRecord(payload) || d.chance(0.1)) return d.chance(0.5) ? junk(d, 0) : { ...(isRecord(payload) ? payload : {}), extra: junk(d, 1) };
  const out = { ...payload };
  const keys = Object.keys(out);
  switch (d.int(0, 4)) {
    case 0:
      if (keys.length) delete out[d.pick(keys)];
      return out;
    case 1:
      return put(out, d.pick(KeyNames), junk(d, 1));
    case 2:
      if (keys.length) out[d.pick(keys)] = junk(d, 1);
      return out;
    case 3:
      if (keys.length) out[d.pick(keys)] = wrongType(d);
      return out;
    default:
      out.memberId = memberId() ?? d.pick(Strings);
      return out;
  }
}

/** An object of `n` keys. */
export function manyKeys(n: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
}

/** `n` random bytes. */
export function bytes(d: Dice, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => d.int(0, 255)));
}
