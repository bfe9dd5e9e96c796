import type { MembershipStatus } from "../model.js";

/** What a room knows about a person, to label rosters. Staff-only fields are never projected to the public. */
export interface Person {
  name: string;
  email: string;
  phone: string | null;
  visible: boolean;
  membershipStatus: MembershipStatus;
  notes: string;
}

/** The first name shown to other members ("Ana" of "Ana Berg"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? "";
}
