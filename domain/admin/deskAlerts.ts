/**
 * What the desk shows staff beside a check-in (docs/domain.md "At the desk"): the alerts staff act on — the waiver
 * in force not signed, a birthday today, an injury note, a pack running low or about to expire, money owed, a
 * freeze. Pure: the use case passes the member's data and the gym's date.
 */
import { formatMoney } from "../format.js";
import type { Instant } from "../model.js";

export const DeskAlertKinds = ["waiver_missing", "birthday", "injury", "pack_low", "owes", "frozen"] as const;
export type DeskAlertKind = (typeof DeskAlertKinds)[number];

export interface DeskAlert {
  kind: DeskAlertKind;
  text: string;
}

/** Credits at or below this count as "running low". */
export const LOW_CREDITS = 2;
/** Credits that expire within this many days are called out. */
export const EXPIRY_WARNING_DAYS = 7;
/** The longest injury note shown at the desk (the profile has the rest). */
const NOTE_SHOWN = 160;
/** Words in staff notes (or a tag) that make a note an injury note. */
const INJURY = /injur|pain|surgery|sprain|strain|fractur|pregnan|concussion/i;

export interface DeskAlertInput {
  /** The gym's date today, "YYYY-MM-DD". */
  today: string;
  now: Instant;
  birthday: string | null;
  notes: string;
  tags: readonly string[];
  /** Null when the member holds no credits (an unlimited or weekly plan). */
  credits: number | null;
  creditsExpireAt: Instant | null;
  /** Whether the plan is a credit plan (pack, drop-in, trial with credits). */
  creditPlan: boolean;
  waiverMissing: boolean;
  owedCents: number;
  currency: string;
  status: string;
  frozenUntil: string | null;
}

/**
 * The alerts, most urgent first.
 * @example deskAlerts({ today: "2027-03-04", birthday: "1990-03-04", … }) // [{ kind: "birthday", text: "Birthday today 🎂" }]
 */
export function deskAlerts(i: DeskAlertInput): DeskAlert[] {
  const out: DeskAlert[] = [];
  if (i.waiverMissing) out.push({ kind: "waiver_missing", text: "Waiver not signed — ask them to sign it in the app" });
  if (i.status === "frozen")
    out.push({ kind: "frozen", text: i.frozenUntil ? `Membership frozen until ${i.frozenUntil}` : "Membership frozen" });
  if (i.owedCents > 0) out.push({ kind: "owes", text: `Owes ${formatMoney(i.owedCents, i.currency)}` });
  const injury = i.tags.some((t) => INJURY.test(t)) || INJURY.test(i.notes);
  if (injury) out.push({ kind: "injury", text: `Injury note: ${i.notes.trim() ? clip(i.notes.trim()) : "see the profile"}` });
  if (i.creditPlan && i.credits !== null) {
    if (i.credits <= 0) out.push({ kind: "pack_low", text: "No credits left — sell a pack or a drop-in" });
    else if (i.credits <= LOW_CREDITS)
      out.push({ kind: "pack_low", text: `Pack running low: ${i.credits} ${i.credits === 1 ? "credit" : "credits"} left` });
    else if (i.creditsExpireAt !== null && i.creditsExpireAt - i.now <= EXPIRY_WARNING_DAYS * 86_400_000 && i.creditsExpireAt > i.now)
      out.push({
        kind: "pack_low",
        text: `${i.credits} credits expire in ${Math.max(1, Math.ceil((i.creditsExpireAt - i.now) / 86_400_000))} days`,
      });
  }
  if (i.birthday && i.birthday.slice(5) === i.today.slice(5)) out.push({ kind: "birthday", text: "Birthday today 🎂" });
  return out;
}

const clip = (s: string) => (s.length > NOTE_SHOWN ? `${s.slice(0, NOTE_SHOWN - 1)}…` : s);
