/**
 * The gym policy a new gym starts with. Owners change it per gym; sessions copy it when scheduled.
 */
import type { GymPolicy } from "./model.js";

/** Defaults documented in docs/domain.md. */
export const DefaultGymPolicy = {
  currency: "EUR",
  lateCancelFeeCents: 500,
  noShowFeeCents: 1000,
  promotionMode: "automatic",
  offerClaimMinutes: 30,
  bookingOpensMinutes: 7 * 24 * 60,
  bookingClosesMinutes: 0,
  lateCancelMinutes: 12 * 60,
  autoPromoteCutoffMinutes: 60,
  checkInOpensMinutes: 30,
  checkInClosesMinutes: 15,
  waitlistLimit: 20,
} as const satisfies GymPolicy;
