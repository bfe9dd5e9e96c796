/**
 * The words of sign-in mail: plain text and HTML that say who it is from, what it is for and what to do. Pure: the
 * caller supplies names, links and codes.
 */
import type { MailDraft } from "./ports.js";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A mail's HTML: a title, paragraphs (escaped), an optional button and code. */
export function mailHtml(title: string, paragraphs: string[], action?: { label: string; url: string }, code?: string): string {
  return [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:auto;padding:1rem;color:#111">`,
    `<h1 style="font-size:1.25rem">${esc(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${esc(p)}</p>`),
    code ? `<p style="font-size:2rem;letter-spacing:.3rem;font-weight:700" aria-label="Your code">${esc(code)}</p>` : "",
    action
      ? `<p><a href="${esc(action.url)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:.75rem 1.25rem;border-radius:.5rem;text-decoration:none">${esc(action.label)}</a></p>`
      : "",
    `<p style="color:#555;font-size:.875rem">Sent by Spotter. If you didn't ask for this, you can ignore it — nothing changes.</p>`,
    `</body></html>`,
  ].join("");
}

/** The sign-in mail: a link and the same request's 6-digit code, both good once, for 15 minutes, in this browser. */
export function signInMail(to: string, gymName: string | null, link: string, code: string, minutes: number): MailDraft {
  const where = gymName ?? "Spotter";
  const subject = `${code} is your ${where} sign-in code`;
  const lines = [
    `Someone (hopefully you) asked to sign in to ${where} with this address.`,
    `Open the link below, or type the code ${code} on the sign-in screen. Both work once, for ${minutes} minutes, in the browser where you asked.`,
  ];
  return {
    to,
    gymId: null,
    template: "sign_in",
    subject,
    text: `${lines.join("\n\n")}\n\n${link}\n\nCode: ${code}\n\nIf you didn't ask for this, ignore this mail — nobody can sign in without it.\n`,
    html: mailHtml(`Sign in to ${where}`, lines, { label: "Sign in", url: link }, code),
  };
}

/** Sent when someone asks to sign in with an address that has no account: says so, and how to get one. */
export function noAccountMail(to: string): MailDraft {
  const lines = [
    "Someone (hopefully you) asked to sign in to Spotter with this address, but there's no account for it.",
    "Gyms invite their members and staff: ask your gym to send you an invitation, or try the address you gave them.",
  ];
  return {
    to,
    gymId: null,
    template: "no_account",
    subject: "No Spotter account for this address",
    text: `${lines.join("\n\n")}\n`,
    html: mailHtml("No account for this address", lines),
  };
}

/** An invitation into a gym with a role (the first owner's setup link too). */
export function invitationMail(
  to: string,
  gymId: string,
  gymName: string,
  role: string,
  inviter: string | null,
  link: string,
  days: number,
): MailDraft {
  const as = role === "member" ? "a member" : `staff (${role.replace("_", " ")})`;
  const lines = [
    `${inviter ? `${inviter} invited you` : "You're invited"} to join ${gymName} on Spotter as ${as}.`,
    `Open the link to accept — it works once and expires in ${days} day${days === 1 ? "" : "s"}.`,
  ];
  return {
    to,
    gymId,
    template: "invitation",
    subject: `You're invited to ${gymName}`,
    text: `${lines.join("\n\n")}\n\n${link}\n`,
    html: mailHtml(`Join ${gymName}`, lines, { label: "Accept the invitation", url: link }),
  };
}

/** A member's own sign-up: confirms the address with a link of its own (an invitation they asked for). */
export function signUpMail(to: string, gymId: string, gymName: string, link: string): MailDraft {
  const lines = [
    `Someone — hopefully you — asked to join ${gymName} on Spotter with this address.`,
    "Open the link to confirm it and choose your name — it works once and expires in 24 hours. If it wasn't you, ignore this mail: nothing happens without the link.",
  ];
  return {
    to,
    gymId,
    template: "sign_up",
    subject: `Confirm your email to join ${gymName}`,
    text: `${lines.join("\n\n")}\n\n${link}\n`,
    html: mailHtml(`Join ${gymName}`, lines, { label: "Confirm and join", url: link }),
  };
}
