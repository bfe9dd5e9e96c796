/**
 * What makes a password acceptable (NIST SP 800-63B style: length and breach lists, no composition rules).
 * Pure: no I/O. The list is built in — Spotter makes no network look-ups of passwords.
 */

/** Shortest accepted password, in characters (a password may be the only factor of a member). */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest accepted password, in characters (long enough for any pass phrase; caps the hashing input). */
export const PASSWORD_MAX_LENGTH = 128;

/** Words at the root of most breached passwords; a password that is one of them plus digits or symbols is refused. */
const BREACHED_ROOTS = [
  "password",
  "passw0rd",
  "p@ssw0rd",
  "p@ssword",
  "qwerty",
  "qwertyuiop",
  "asdfgh",
  "asdfghjkl",
  "zxcvbnm",
  "azerty",
  "letmein",
  "welcome",
  "iloveyou",
  "admin",
  "administrator",
  "monkey",
  "dragon",
  "football",
  "baseball",
  "soccer",
  "princess",
  "sunshine",
  "superman",
  "batman",
  "starwars",
  "trustno1",
  "master",
  "shadow",
  "michael",
  "jennifer",
  "abc",
  "abcdef",
  "abcdefgh",
  "changeme",
  "secret",
  "login",
  "hello",
  "freedom",
  "whatever",
  "qazwsx",
  "1qaz2wsx",
  "1q2w3e4r",
  "1q2w3e4r5t",
  "zaq12wsx",
  "spotter",
  "crossfit",
  "fitness",
  "workout",
  "gym",
  "member",
  "summer",
  "winter",
];

/** Whole passwords seen in breaches that pass the length rule. */
const BREACHED = new Set([
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "qazwsxedcrfv",
  "123qweasdzxc",
  "zaq12wsxcde3",
  "qwertyuiopasdfghjkl",
  "qwertyuiop123",
  "trustno1trustno1",
  "passwordpassword",
  "iloveyouiloveyou",
  "abcdefghijkl",
  "abcdefghijklmnop",
  "zxcvbnmasdfghjkl",
]);

/** Why a password is refused, in words; null when it is acceptable. `context` are words the password must not be built on (email, name, gym). */
export function passwordProblem(password: string, context: readonly string[] = []): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters — a few words in a row work well.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2) return "That password repeats the same characters — choose something less predictable.";
  if (isSequence(lower)) return "That password is a simple sequence — choose something less predictable.";
  const root = lower.replace(/[^a-z@]+$/u, "").replace(/^[^a-z@]+/u, "");
  if (BREACHED.has(lower) || root === "" || BREACHED_ROOTS.includes(root) || isRepeatOf(root))
    return "That password appears in lists of breached passwords — choose another.";
  for (const word of context) {
    const w = word.toLowerCase().split("@")[0]!.trim();
    if (w.length >= 4 && lower.includes(w)) return "Don't build the password on your email, name or gym — choose something else.";
  }
  return null;
}

function isSequence(s: string): boolean {
  if (s.length < 3) return false;
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}

/** "passwordpassword", "qwertyqwerty1": a breached root written more than once. */
function isRepeatOf(root: string): boolean {
  return BREACHED_ROOTS.some((r) => r.length >= 3 && root.length % r.length === 0 && r.repeat(root.length / r.length) === root);
}
