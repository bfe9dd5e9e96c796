/**
 * The public "book a free trial or a tour" page of a gym: `GET /trial/<gymId>` shows the form, `POST /trial/<gymId>`
 * books the trial class (or the tour) chosen.
 * Plain HTML, no script. This route alone may be framed — by the origins the gym lists (`frame-ancestors`); every
 * other response keeps `frame-ancestors 'none'`. Spam: a honeypot field, and budgets per address and per gym.
 */
import { requestTrial, trialPage, type TrialRequest } from "../../app/leads/trials.js";
import type { TrialPorts } from "../../app/leads/trialPorts.js";
import { requestTour } from "../../app/leads/tours.js";
import { DomainError } from "../../domain/errors.js";
import { formatWhen } from "../../domain/format.js";
import { TrialRequestSchema } from "../../domain/protocol/leads.js";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import type { RateLimitStore } from "../cluster/rateLimit.js";
import type { HttpRequest, HttpResponse, Router } from "./router.js";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The page's policy: no script at all, its own inline style, posts only to Spotter, framed only by the sites the gym
 * lists — not by Spotter's own origin either (no Spotter page frames it: the staff app links to it), and by nobody
 * when the gym lists none.
 */
export function trialCsp(embedOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${embedOrigins.length ? embedOrigins.join(" ") : "'none'"}`,
  ].join("; ");
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:0 auto;padding:1rem;color:#111}label{display:grid;gap:.2rem;margin:.6rem 0}
input,select,textarea{font:inherit;padding:.5rem;border:1px solid #8a96ad;border-radius:.4rem}button{font:inherit;padding:.7rem 1.2rem;background:#1d4ed8;color:#fff;border:0;border-radius:.5rem}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.error{color:#a30000;font-weight:600}.check{display:flex;gap:.5rem;align-items:center}`;

function page(status: number, title: string, body: string, embedOrigins: readonly string[]): HttpResponse {
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": trialCsp(embedOrigins),
      "x-frame-options": "",
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`,
  };
}

type Page = NonNullable<Awaited<ReturnType<typeof trialPage>>>;

function formPage(gymId: string, p: Page, error: string, values: Record<string, string>, status = 200): HttpResponse {
  const v = (k: string) => esc(values[k] ?? "");
  const f = p.form;
  const options = p.sessions
    .map(
      (s) =>
        `<option value="${s.sessionId}"${values.sessionId === s.sessionId ? " selected" : ""}>${esc(`${s.className} · ${formatWhen(s.startsAt, f.timeZone)} (${s.spotsLeft} left)`)}</option>`,
    )
    .join("");
  const tours = p.tours
    .map(
      (t) =>
        `<option value="${t.slotId}"${values.tourSlotId === t.slotId ? " selected" : ""}>${esc(`${formatWhen(t.startsAt, f.timeZone)} (${t.spotsLeft} left)`)}</option>`,
    )
    .join("");
  // With tours offered, each choice may stay empty (the schema wants exactly one); without, the class is required.
  const classField = p.tours.length
    ? `<label>A trial class <select name="sessionId"><option value="">— no class —</option>${options}</select></label>
  <label>…or a tour of the gym <select name="tourSlotId"><option value="">— no tour —</option>${tours}</select></label>`
    : `<label>Class <select name="sessionId" required>${options}</select></label>`;
  const consent = f.requiredConsents.length
    ? `<label class="check"><input type="checkbox" name="accepted" value="yes" required> I accept ${esc(f.gymName)}'s terms and privacy policy</label>`
    : "";
  const body =
    p.sessions.length || p.tours.length
      ? `<form method="post" action="/trial/${gymId}">
  <label>Your name <input name="name" required maxlength="200" autocomplete="name" value="${v("name")}"></label>
  <label>Email <input name="email" type="email" required maxlength="320" autocomplete="email" value="${v("email")}"></label>
  <label>Phone (optional) <input name="phone" type="tel" maxlength="40" autocomplete="tel" value="${v("phone")}"></label>
  <label>What are you interested in? (optional) <input name="interest" maxlength="500" value="${v("interest")}"></label>
  ${classField}
  <div class="hp" aria-hidden="true"><label>Leave this empty <input name="website" tabindex="-1" autocomplete="off"></label></div>
  ${consent}
  <p><button type="submit">Book my free trial</button></p>
</form>`
      : `<p>No class or tour has room this week — please check back soon or drop by the front desk.</p>`;
  return page(
    status,
    `Free trial at ${f.gymName}`,
    `<h1>Try ${esc(f.gymName)} for free</h1>${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}${body}`,
    f.embedOrigins,
  );
}

const thanks = (p: Page, what: string) =>
  page(
    200,
    `Free trial at ${p.form.gymName}`,
    `<h1>You're booked!</h1><p role="status">${esc(what)}</p><p>We've emailed you the details. See you at ${esc(p.form.gymName)}!</p>`,
    p.form.embedOrigins,
  );

const notFound = (): HttpResponse => page(404, "Not found", "<h1>This gym has no trial form</h1>", []);

export interface TrialRouteDeps {
  ports: TrialPorts;
  /** Trial requests per address (a person books one or two; a script many). */
  perAddress: RateLimitStore;
  /** Trial requests per gym: the cost a flood can cause one gym (rows, mail) is capped. */
  perGym: RateLimitStore;
}

const gymOf = (req: HttpRequest) => {
  const id = req.path.slice("/trial/".length);
  return UuidSchema.safeParse(id).success ? id.toLowerCase() : null;
};

export function addTrialRoutes(router: Router, d: TrialRouteDeps): void {
  router.get("/trial/*", async (req) => {
    const gymId = gymOf(req);
    const p = gymId ? await trialPage(d.ports, gymId) : null;
    return p && gymId ? formPage(gymId, p, "", {}) : notFound();
  });

  router.post("/trial/*", async (req) => {
    const gymId = gymOf(req);
    const p = gymId ? await trialPage(d.ports, gymId) : null;
    if (!p || !gymId) return notFound();
    const now = d.ports.now();
    const wait = Math.max(await d.perAddress.take(req.ip || "unknown", now), await d.perGym.take(gymId, now));
    if (wait > 0) {
      const refused = formPage(gymId, p, `Too many requests — try again in ${Math.max(1, Math.ceil(wait / 60_000))} min.`, {}, 429);
      return { ...refused, headers: { ...refused.headers, "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) } };
    }
    const values = Object.fromEntries(new URLSearchParams(Buffer.from(req.body).toString("utf8")));
    const parsed = TrialRequestSchema.safeParse(values);
    if (!parsed.success) return formPage(gymId, p, parsed.error.issues.map((i) => i.message).join(" · "), values, 400);
    const { website, accepted, ...rest } = parsed.data;
    // A bot fills every field: it is thanked, and nothing is stored or sent.
    if (website) return thanks(p, "Your trial request was received.");
    const { sessionId, tourSlotId, ...person } = rest;
    const result = tourSlotId
      ? await requestTour(d.ports, gymId, { ...person, tourSlotId })
      : await requestTrial(d.ports, gymId, { ...person, sessionId: sessionId!, accepted: accepted === "yes" } satisfies TrialRequest);
    if (result instanceof DomainError) return formPage(gymId, (await trialPage(d.ports, gymId)) ?? p, result.message, values, 409);
    const when = formatWhen(result.startsAt, p.form.timeZone);
    return thanks(p, "className" in result ? `Your free trial: ${result.className}, ${when}.` : `Your tour: ${when}.`);
  });
}
