/**
 * What a change of the gym's settings would reach, in words, before it is saved (docs/domain.md "Settings and their
 * defaults"): fees reach every class that has not closed at once (class rooms read them, they are not copied); the
 * waiver default reaches booking and the desk at once; every other setting is copied into a class when it is
 * scheduled, so only classes scheduled from now on take it. Pure.
 */
import { formatMoney } from "../format.js";
import { DomainError } from "../errors.js";
import type { GymPolicy } from "../model.js";
import { changedPolicy, PolicySettings, type PolicySetting } from "./settings.js";
import { currentWaivers } from "./waivers.js";

/** Where a changed setting applies: classes not yet closed, everywhere at once, or classes scheduled from now on. */
export const SettingScopes = ["open_classes", "at_once", "new_classes"] as const;
export type SettingScope = (typeof SettingScopes)[number];

/** The gym's classes a change can reach, counted once: not closed (any start), and of those the ones yet to start. */
export interface ClassReach {
  /** Scheduled classes that have not closed, and their bookings still open (booked, not yet attended or cancelled). */
  open: { classes: number; bookings: number };
  /** Scheduled classes starting from now on, and their live bookings (booked or checked in). */
  upcoming: { classes: number; bookings: number };
}

/** One changed setting: where it applies and how many classes (and bookings) it reaches now; `text` says it in words. */
export interface SettingPreview {
  setting: PolicySetting;
  scope: SettingScope;
  /** Classes whose rules change now (0 for a setting only new classes take). */
  classes: number;
  bookings: number;
  /** Classes (and their bookings) already on the timetable that keep the value they copied (new-class settings only). */
  kept: { classes: number; bookings: number };
  text: string;
}

const Labels: Record<PolicySetting, string> = {
  lateCancelFeeCents: "Late-cancel fee",
  noShowFeeCents: "No-show fee",
  promotionMode: "When a spot frees up",
  offerClaimMinutes: "Offer claim time",
  bookingOpensMinutes: "Booking opens",
  bookingClosesMinutes: "Booking closes",
  lateCancelMinutes: "Late-cancel cut-off",
  autoPromoteCutoffMinutes: "Auto-promotion stops",
  checkInOpensMinutes: "Check-in opens",
  checkInClosesMinutes: "Check-in closes",
  waitlistLimit: "Waitlist limit",
  waiverRequired: "Waiver must be signed",
};

const Words: Record<string, string> = {
  automatic: "book the next in line",
  offer: "offer it to the next in line",
  off: "not enforced",
  check_in: "to check in",
  booking: "to book and to check in",
};

const None = { classes: 0, bookings: 0 };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "7 days", "12 hours", "90 minutes": the largest whole unit. */
function duration(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return plural(minutes / 1440, "day");
  if (minutes >= 60 && minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

function valueText(setting: PolicySetting, value: GymPolicy[PolicySetting] | undefined, currency: string): string {
  const v = value ?? "off";
  if (typeof v === "string") return Words[v] ?? v;
  if (setting === "lateCancelFeeCents" || setting === "noShowFeeCents") return v === 0 ? "none" : formatMoney(v, currency);
  if (setting === "waitlistLimit") return v === 0 ? "no waitlist" : plural(v, "place");
  if (setting === "offerClaimMinutes") return duration(v);
  if (setting === "checkInClosesMinutes") return v === 0 ? "at start" : `${duration(v)} after start`;
  return v === 0 ? "at start" : `${duration(v)} before start`;
}

const Refusals: Record<string, string> = {
  off: "a missing signature no longer refuses anyone (versions with their own requirement keep it).",
  check_in: "the desk refuses members who haven't signed the version in force.",
  booking: "members who haven't signed the version in force can't book, and the desk refuses them.",
};

/** Where the waiver default applies now: only to versions in force without a requirement of their own. */
function waiverText(policy: GymPolicy, reach: ClassReach, now: number): { classes: number; bookings: number; text: string } {
  const inForce = currentWaivers(policy.waiverVersions ?? [], now);
  if (inForce.length === 0)
    return {
      classes: 0,
      bookings: 0,
      text: "No waiver is in force yet: this applies to the first version you publish without its own requirement.",
    };
  if (inForce.every((v) => v.required !== undefined))
    return {
      classes: 0,
      bookings: 0,
      text: "Changes nothing now: every version in force sets its own requirement. Applies to versions published later without one.",
    };
  const { classes, bookings } = reach.open;
  const effect = Refusals[policy.waiverRequired ?? "off"];
  return {
    classes,
    bookings,
    text: `Applies at once, on every class and at the desk: ${plural(classes, "class", "classes")} not yet closed, ${plural(bookings, "booking")} — ${effect}`,
  };
}

/**
 * Each setting the draft changes, with its scope and reach; VALIDATION_FAILED (naming the setting) for a draft
 * `gym:setPolicy` would refuse.
 * @example previewPolicy(policy, { lateCancelFeeCents: 700 }, { open: { classes: 12, bookings: 143 }, upcoming: { classes: 10, bookings: 120 } }, now)
 */
export function previewPolicy(
  policy: GymPolicy,
  draft: Partial<Pick<GymPolicy, PolicySetting>>,
  reach: ClassReach,
  now: number,
): SettingPreview[] | DomainError {
  const next = changedPolicy(policy, draft);
  if (next instanceof DomainError) return next;
  const { currency } = policy;
  return PolicySettings.filter((s) => (policy[s] ?? "off") !== (next[s] ?? "off")).map((setting): SettingPreview => {
    const change = `${Labels[setting]}: ${valueText(setting, policy[setting], currency)} → ${valueText(setting, next[setting], currency)}.`;
    if (setting === "lateCancelFeeCents" || setting === "noShowFeeCents") {
      const { classes, bookings } = reach.open;
      const text = `${change} Applies at once to every class not yet closed — ${plural(classes, "class", "classes")}, ${plural(bookings, "booking")}; fees already charged keep their amount.`;
      return { setting, scope: "open_classes", classes, bookings, kept: None, text };
    }
    if (setting === "waiverRequired") {
      const w = waiverText(next, reach, now);
      return { setting, scope: "at_once", classes: w.classes, bookings: w.bookings, kept: None, text: `${change} ${w.text}` };
    }
    const { classes, bookings } = reach.upcoming;
    const kept =
      classes === 0
        ? "No class is on the timetable yet."
        : `The ${plural(classes, "upcoming class", "upcoming classes")} already on the timetable (${plural(bookings, "booking")}) ${classes === 1 ? "keeps" : "keep"} ${valueText(setting, policy[setting], currency)} — edit a class to change it.`;
    const typeNote = setting === "promotionMode" ? " Class types with their own mode keep it." : "";
    const text = `${change} Applies to classes scheduled from now on.${typeNote} ${kept}`;
    return { setting, scope: "new_classes", classes: 0, bookings: 0, kept: reach.upcoming, text };
  });
}
