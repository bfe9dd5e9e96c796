/**
 * Notice kinds, the channels they can travel on, and who chooses which: a member's preference per kind × channel,
 * else the kind's default. Pure: the stores and senders read it.
 */

/** Every kind of notice a person can get (the inbox stores all of them; channels are per kind). */
export const NoticeKinds = [
  "promoted",
  "offered",
  "offer_expired",
  "class_cancelled",
  "class_changed",
  "spot_open",
  "skipped",
  "fee_charged",
  "membership",
  "pack_low",
  "challenge",
  "moderation",
  "social",
  "challenge_review",
  "report",
  "waiver_unsigned",
  "staff_alert",
  "message",
] as const;
export type NoticeKind = (typeof NoticeKinds)[number];

/** Channels beyond the in-app inbox (which always gets every notice). */
export const NoticeChannels = ["push", "email"] as const;
export type NoticeChannel = (typeof NoticeChannels)[number];

/**
 * What each kind goes out on unless the person chose otherwise: a promotion or an offer is worth a push and an
 * email (the member may have the app closed), fees an email (a record), social things stay in the app.
 */
export const DefaultChannels: { readonly [K in NoticeKind]: readonly NoticeChannel[] } = {
  promoted: ["push", "email"],
  offered: ["push", "email"],
  offer_expired: ["push"],
  class_cancelled: ["push", "email"],
  class_changed: ["push"],
  spot_open: ["push"],
  skipped: ["push"],
  fee_charged: ["email"],
  membership: ["email"],
  pack_low: ["email"],
  challenge: ["push"],
  moderation: ["push"],
  social: [],
  challenge_review: ["push"],
  report: ["push"],
  waiver_unsigned: ["email"],
  staff_alert: ["push"],
  message: ["push"],
};

/** One stored choice: `kind` on `channel` on or off. */
export interface NoticePreference {
  kind: NoticeKind;
  channel: NoticeChannel;
  enabled: boolean;
}

/** Whether `kind` goes out on `channel` for someone with these stored choices. */
export function sendsOn(kind: NoticeKind, channel: NoticeChannel, prefs: readonly NoticePreference[]): boolean {
  const chosen = prefs.find((p) => p.kind === kind && p.channel === channel);
  return chosen ? chosen.enabled : DefaultChannels[kind].includes(channel);
}

/** Every kind × channel with its effective setting (what the preferences screen shows). */
export function preferenceGrid(prefs: readonly NoticePreference[]): NoticePreference[] {
  return NoticeKinds.flatMap((kind) => NoticeChannels.map((channel) => ({ kind, channel, enabled: sendsOn(kind, channel, prefs) })));
}

/** Backoff before delivery attempt `attempts + 1` of one target: 5 s, 10 s, 20 s … up to 30 min. */
export const deliveryBackoffMs = (attempts: number): number => Math.min(1_800_000, 5_000 * 2 ** Math.max(0, attempts - 1));

/** Attempts after which a target is given up (recorded as failed, visible to staff). */
export const MAX_DELIVERY_ATTEMPTS = 10;

/** A class pack is "running low" once a booking leaves this many credits or fewer. */
export const PACK_LOW_CREDITS = 2;

/** Whether a move from `before` to `after` credits crosses into running low (told once per pack, not on every booking). */
export const packRunsLow = (before: number | null | undefined, after: number): boolean =>
  before !== null && before !== undefined && before > PACK_LOW_CREDITS && after <= PACK_LOW_CREDITS && after < before;

/** What a member reads when their pack runs low. */
export const packLowText = (credits: number): string =>
  credits <= 0
    ? "Your class pack is used up — ask the front desk for a new one to keep booking."
    : `${credits} class${credits === 1 ? "" : "es"} left on your pack — time to top up.`;
