/**
 * Members as the front office manages them (docs/domain.md "Members" and "Freezes"): duplicate detection and the
 * freeze rule. Pure: "today" is passed in as the gym's local date.
 */
import { DomainError } from "../errors.js";
import type { MembershipStatus } from "../model.js";

/** An email compared without case or surrounding spaces. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();
/** A phone number compared by its digits only ("+49 170 123" = "0049170123" is NOT assumed: digits as typed). */
export const normalPhone = (phone: string | null | undefined): string => (phone ?? "").replace(/\D/g, "");

/** Members who look like the same person: the same email, or the same phone digits (at least 6). */
export function duplicatesOf<T extends { email: string; phone: string | null }>(
  existing: readonly T[],
  candidate: { email: string; phone?: string | null | undefined },
): T[] {
  const email = normalEmail(candidate.email);
  const phone = normalPhone(candidate.phone);
  return existing.filter((m) => normalEmail(m.email) === email || (phone.length >= 6 && normalPhone(m.phone) === phone));
}

const Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2027-01-12" → "12 Jan". */
export function shortDate(date: string): string {
  const [, m, d] = date.split("-");
  return `${Number(d)} ${Months[Number(m) - 1] ?? ""}`.trim();
}

/** What the desk and the member are told about a freeze: "Membership frozen until 12 Jan — ask the front desk." */
export function frozenMessage(until: string | null | undefined): string {
  return until ? `Membership frozen until ${shortDate(until)} — ask the front desk.` : "Membership frozen — ask the front desk.";
}

/**
 * A freeze from today to `until` (inclusive, gym dates): only an active, past-due or already frozen membership can be
 * frozen (a second freeze changes the end and the reason), never to a day before today.
 */
export function checkFreeze(status: MembershipStatus, until: string, today: string): DomainError | null {
  if (status === "cancelled" || status === "pending")
    return new DomainError("VALIDATION_FAILED", `A ${status} membership can't be frozen.`, {
      fields: { memberId: `The membership is ${status}` },
    });
  if (until < today) return new DomainError("VALIDATION_FAILED", undefined, { fields: { until: "The freeze must end today or later" } });
  return null;
}

/**
 * Whether a freeze is over on the gym's date `today`: its last frozen day (`frozenUntil`, inclusive) has passed. A
 * freeze without a last day never ends by itself. The freeze-end job (`server/jobs/gymPassJobs.ts`) ends these.
 */
export function freezeOver(m: { status: MembershipStatus; frozenUntil?: string | null | undefined }, today: string): boolean {
  return m.status === "frozen" && typeof m.frozenUntil === "string" && m.frozenUntil < today;
}

/** What the member is told when their freeze ended by itself. */
export const FreezeEndedNotice = "Your freeze has ended — your membership is active again and you can book classes.";
