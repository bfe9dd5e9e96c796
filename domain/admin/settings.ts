/**
 * Changing the gym's policy (docs/domain.md "Settings and their defaults"): which settings staff may change and the
 * rule that keeps them consistent. Pure.
 */
import { DomainError } from "../errors.js";
import type { GymPolicy } from "../model.js";

/** The settings `gym:setPolicy` changes (currency and required consents are set elsewhere). */
export const PolicySettings = [
  "lateCancelFeeCents",
  "noShowFeeCents",
  "promotionMode",
  "offerClaimMinutes",
  "bookingOpensMinutes",
  "bookingClosesMinutes",
  "lateCancelMinutes",
  "autoPromoteCutoffMinutes",
  "checkInOpensMinutes",
  "checkInClosesMinutes",
  "waitlistLimit",
  "waiverRequired",
] as const satisfies readonly (keyof GymPolicy)[];
export type PolicySetting = (typeof PolicySettings)[number];

/** The policy after a change, or VALIDATION_FAILED naming the setting that contradicts another. */
export function changedPolicy(policy: GymPolicy, change: Partial<Pick<GymPolicy, PolicySetting>>): GymPolicy | DomainError {
  const next = { ...policy, ...change };
  if (next.bookingClosesMinutes >= next.bookingOpensMinutes) {
    return new DomainError("VALIDATION_FAILED", undefined, {
      fields: { bookingClosesMinutes: "Booking must close after it opens (fewer minutes before the start)" },
    });
  }
  return next;
}

/** The settings whose value changed, before and after (numbers and modes only: safe for the audit trail). */
export function policyDiff(before: GymPolicy, after: GymPolicy): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const keys = PolicySettings.filter((k) => before[k] !== after[k]);
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
}
