/** Feed cards in words, for the member feed and the staff's report queue. */
import { FeedEventKinds } from "../../domain/feed/events.js";

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const ordinal = (n: number) =>
  `${n}${n % 100 >= 11 && n % 100 <= 13 ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th")}`;

/** What a card says: a headline and a detail line, from its kind and payload (unknown kinds still read). */
export function cardText(card: { kind: string; payload: Record<string, unknown> }, name: string): { headline: string; detail: string } {
  const p = card.payload;
  switch (card.kind) {
    case "workout_logged": {
      const title = str(p.title);
      const parts = [num(p.exercises) !== null ? `${p.exercises} ${p.exercises === 1 ? "exercise" : "exercises"}` : null];
      if (num(p.volumeKg)) parts.push(`${(p.volumeKg as number).toLocaleString("en-GB", { maximumFractionDigits: 1 })} kg lifted`);
      if (num(p.distanceMeters))
        parts.push(`${((p.distanceMeters as number) / 1000).toLocaleString("en-GB", { maximumFractionDigits: 2 })} km`);
      return { headline: `${name} logged ${title ? `“${title}”` : "a workout"}`, detail: parts.filter(Boolean).join(" · ") };
    }
    case "pr": {
      const count = num(p.count) ?? 1;
      const movements = Array.isArray(p.movements) ? p.movements.filter((m): m is string => typeof m === "string") : [];
      return { headline: `${name} set ${count === 1 ? "a new PR" : `${count} new PRs`}`, detail: movements.join(", ") };
    }
    case "checkin_milestone":
      return { headline: `${name} checked in for the ${ordinal(num(p.count) ?? 0)} time`, detail: "" };
    case "streak_milestone":
      return { headline: `${name} is on a ${num(p.days) ?? 0}-day streak`, detail: "" };
    case "challenge_joined":
      return { headline: `${name} joined a challenge`, detail: str(p.title) ?? "" };
    case "challenge_completed":
      return { headline: `${name} completed a challenge`, detail: str(p.title) ?? "" };
    default:
      return { headline: `${name} was active`, detail: "" };
  }
}

/**
 * A reported post's excerpt ("pr: {…}" as stored at report time) in words; other text as it is.
 *
 * @example excerptText('pr: {"count":1,"movements":["back squat"]}', "Fay") // "Fay set a new PR — back squat"
 */
export function excerptText(excerpt: string, name: string): string {
  const m = /^([a-z_]+)(?::\s*(\{[\s\S]*\}))?$/.exec(excerpt.trim());
  if (!m || !(FeedEventKinds as readonly string[]).includes(m[1]!)) return excerpt;
  let payload: Record<string, unknown> = {};
  try {
    if (m[2]) payload = JSON.parse(m[2]) as Record<string, unknown>;
  } catch {
    return excerpt;
  }
  const { headline, detail } = cardText({ kind: m[1]!, payload }, name);
  return detail ? `${headline} — ${detail}` : headline;
}
