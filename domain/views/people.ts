import type { MembershipStatus } from "../model.js";

/** What a room knows about a person, to label rosters. Staff-only fields are never projected to the public. */
export interface Person {
  name: string;
  email: string;
  phone: string | null;
  visible: boolean;
  membershipStatus: MembershipStatus;
  notes: string;
  /** On the gym's trial plan (booked through the public trial form): rosters mark them "Trial". */
  trial?: boolean;
}

/** The first name shown to other members ("Ana" of "Ana Berg"). */
export function firstName(name: string): string {
  return /\S+/.exec(name)?.[0] ?? "";
}

/**
 * First names for a list shown together (a leaderboard, the TV board): a first name that appears more than
 * once gets its last-name initial ("Nia C.", "Nia B.") so two people are never shown the same.
 */
export function distinctFirstNames(names: readonly string[]): string[] {
  const firsts = names.map(firstName);
  const count = new Map<string, number>();
  for (const f of firsts) count.set(f, (count.get(f) ?? 0) + 1);
  return names.map((n, i) => {
    const parts = n.trim().split(/\s+/);
    const f = firsts[i]!;
    return (count.get(f) ?? 0) > 1 && parts.length > 1 ? `${f} ${parts[parts.length - 1]![0]!.toUpperCase()}.` : f;
  });
}
