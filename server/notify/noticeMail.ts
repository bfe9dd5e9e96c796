/**
 * A notice as an email: a plain-text part and an HTML part saying the same, every piece of notice text and every
 * link escaped for HTML (a member's name or a comment can carry `<`, `&`, quotes). No images, no tracking.
 */
import type { NoticeKind } from "../../domain/notices/kinds.js";

/** What the mail says above the notice, per kind (the subject is the notice itself). */
const Headings: Partial<Record<NoticeKind, string>> = {
  promoted: "You're in",
  offered: "A spot is held for you",
  offer_expired: "Your held spot expired",
  class_cancelled: "A class was cancelled",
  class_changed: "A class changed",
  fee_charged: "A fee was charged",
  pack_low: "Your class pack is running low",
  membership: "Your membership",
  waiver_unsigned: "A waiver isn't signed",
};

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface NoticeMailInput {
  kind: NoticeKind;
  text: string;
  /** Where the notice opens (its class card, else the inbox). */
  link: string;
  /** Where the person changes what reaches them by email. */
  preferencesLink: string;
  gymName: string | null;
}

/** The subject, plain text and HTML of a notice's email. */
export function noticeMail(m: NoticeMailInput): { subject: string; text: string; html: string } {
  const from = m.gymName ? `${m.gymName} on Spotter` : "Spotter";
  const heading = Headings[m.kind] ?? "News from your gym";
  const subject = m.text.split("\n")[0]!.slice(0, 150);
  const text = `${heading}\n\n${m.text}\n\nOpen Spotter: ${m.link}\n\n—\n${from}. Choose what reaches you by email: ${m.preferencesLink}`;
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d1d1f;max-width:560px;margin:0 auto;padding:16px">`,
    `<h1 style="font-size:20px;margin:0 0 12px">${escapeHtml(heading)}</h1>`,
    `<p style="font-size:16px;line-height:1.5;margin:0 0 20px">${escapeHtml(m.text).replaceAll("\n", "<br>")}</p>`,
    `<p style="margin:0 0 24px"><a href="${escapeHtml(m.link)}" style="background:#e4572e;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">Open Spotter</a></p>`,
    `<p style="font-size:12px;color:#6e6e73;margin:0">${escapeHtml(from)}. <a href="${escapeHtml(m.preferencesLink)}" style="color:#6e6e73">Choose what reaches you by email</a>.</p>`,
    `</body></html>`,
  ].join("");
  return { subject, text, html };
}
