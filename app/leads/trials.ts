/**
 * The public "book a free trial" form (issue 22): the gym's page lists its next classes with room left; a request
 * makes (or finds) the lead, gives the person the gym's trial plan (one class within 14 days) and books the class
 * through its class room like any booking — capacity, windows and consents all hold. Staff see "Trial" on the roster.
 */
import { DomainError, ErrorCodes, type ErrorCode } from "../../domain/errors.js";
import { normalEmail } from "../../domain/admin/members.js";
import { TrialPlanTerms, websiteLead, type Lead } from "../../domain/leads/pipeline.js";
import type { MembershipPlan } from "../../domain/model.js";
import { formatWhen } from "../../domain/format.js";
import type { AdminActor } from "../admin/ports.js";
import { mailHtml } from "../signin/mailTemplates.js";
import type { LeadPorts } from "./ports.js";
import type { TrialPorts } from "./trialPorts.js";

const DAY = 86_400_000;
/** What the form answers when the class has no spot left for the trial. */
const ClassFullOnForm = "That class is full now — pick another one.";
/** How far ahead the form offers classes, and how many. */
const Horizon = { days: 7, classes: 40 } as const;

/** Owners and admins: switch the form on or off and say which sites may embed it; the first switch-on makes the trial plan. */
export async function setTrialForm(ports: LeadPorts, actor: AdminActor, input: { enabled: boolean; embedOrigins: string[] }) {
  return ports.store.transaction(actor, "gym:setTrialForm", async (tx) => {
    const before = await tx.trialForm(actor.gymId);
    let planId = before?.planId ?? null;
    if (!planId) {
      planId = ports.newId();
      const plan: MembershipPlan = {
        id: planId,
        gymId: actor.gymId,
        name: TrialPlanTerms.name,
        kind: "trial",
        billingPeriod: "once",
        priceCents: 0,
        weeklyTarget: 0,
        classTypeIds: [],
        archived: false,
        entitlement: { kind: "pack", credits: TrialPlanTerms.credits, validDays: TrialPlanTerms.validDays },
      };
      await tx.savePlan(plan);
    }
    const form = {
      gymId: actor.gymId,
      enabled: input.enabled,
      embedOrigins: [...new Set(input.embedOrigins)],
      planId,
      updatedAt: actor.now,
    };
    await tx.saveTrialForm(form);
    tx.audit({
      action: "gym:setTrialForm",
      entityType: "gym",
      entityId: actor.gymId,
      before: before ? { enabled: before.enabled, embedOrigins: before.embedOrigins } : null,
      after: { enabled: form.enabled, embedOrigins: form.embedOrigins },
    });
    return { enabled: form.enabled, embedOrigins: form.embedOrigins, planId };
  });
}

/** What the public page shows, or null when the gym has no form switched on. */
export async function trialPage(ports: TrialPorts, gymId: string) {
  const form = await ports.store.read((tx) => tx.form(gymId, false));
  if (!form?.enabled || !form.planId) return null;
  const now = ports.now();
  const [sessions, tours] = await Promise.all([
    ports.store.sessions(gymId, now, now + Horizon.days * DAY, Horizon.classes),
    ports.store.tours(gymId, now, now + Horizon.days * DAY, Horizon.classes),
  ]);
  return { form, sessions, tours };
}

export interface TrialRequest {
  name: string;
  email: string;
  phone?: string | undefined;
  interest?: string | undefined;
  sessionId: string;
  /** The person accepted the gym's required policies (terms, privacy) shown on the form. */
  accepted: boolean;
}

/**
 * Makes the lead and books the trial. A refused booking (the class filled meanwhile) keeps the lead, with the
 * refusal on its timeline, and answers the room's words so the person picks another class.
 */
export async function requestTrial(
  ports: TrialPorts,
  gymId: string,
  input: TrialRequest,
): Promise<{ leadId: string; className: string; startsAt: number } | DomainError> {
  const now = ports.now();
  const page = await trialPage(ports, gymId);
  if (!page) return new DomainError("NOT_FOUND", "This gym has no trial form.");
  const { form } = page;
  // A class that filled since the page was shown is still asked for: the lead is kept with the refusal (as when two
  // people race for the last spot), and a spot that opened meanwhile is booked.
  const session =
    page.sessions.find((s) => s.sessionId === input.sessionId) ??
    (await ports.store.session(gymId, input.sessionId, now, now + Horizon.days * DAY));
  if (!session) return new DomainError("CLASS_FULL", "That class can't take a trial any more — pick another one.");
  if (form.requiredConsents.length > 0 && !input.accepted)
    return new DomainError("CONSENT_REQUIRED", "Please accept the gym's terms to book.");
  const email = normalEmail(input.email);
  const prepared = await ports.store
    .transaction(gymId, now, async (tx) => {
      const user = await tx.userByEmail(email);
      const membership = user ? await tx.membership(gymId, user.id) : null;
      if (membership && membership.planKind !== "trial" && membership.status !== "cancelled") {
        throw new DomainError("ALREADY_BOOKED", "This email already has a membership here — sign in to the app to book.");
      }
      const memberId = user?.id ?? ports.newId();
      const expiresAt = now + TrialPlanTerms.validDays * DAY;
      const trial = { userId: memberId, gymId, planId: form.planId!, credits: TrialPlanTerms.credits, expiresAt, at: now };
      if (!membership)
        await tx.addTrialist({
          ...trial,
          newUser: !user,
          name: input.name,
          email,
          phone: input.phone ?? null,
          membershipId: ports.newId(),
        });
      else if (membership.status === "cancelled") await tx.restartTrial(trial);
      for (const c of form.requiredConsents) await tx.consent(memberId, c.kind, c.version, now);
      const found = await tx.openLeadByEmail(gymId, email);
      const lead: Lead = found
        ? { ...found, memberId, updatedAt: now }
        : websiteLead(ports.newId(), gymId, { ...input, email }, "new", memberId, now);
      await tx.saveLead(lead);
      if (!found)
        await tx.addTouch({
          id: ports.newId(),
          leadId: lead.id,
          gymId,
          at: now,
          actorId: null,
          kind: "created",
          note: "Asked for a trial on the website",
        });
      tx.audit(memberId, {
        action: "trial:request",
        entityType: "lead",
        entityId: lead.id,
        before: found ? { stage: found.stage } : null,
        after: { stage: lead.stage, sessionId: session.sessionId },
      });
      return { lead, memberId };
    })
    .catch((err: unknown) => (err instanceof DomainError ? err : Promise.reject(err)));
  if (prepared instanceof DomainError) return prepared;
  const { lead, memberId } = prepared;
  ports.memberChanged(gymId, memberId);
  const answer = await ports.bookings.book(memberId, session.sessionId);
  // The room's "join the waitlist" is no choice on the form: the person picks another class.
  const booked = answer.ok || answer.code !== "CLASS_FULL" ? answer : { ...answer, message: ClassFullOnForm };
  const when = formatWhen(session.startsAt, form.timeZone);
  await ports.store.transaction(gymId, ports.now(), async (tx) => {
    const current = (await tx.openLeadByEmail(gymId, email)) ?? lead;
    const note = booked.ok
      ? `Trial booked: ${session.className}, ${when}`
      : `Trial not booked (${session.className}, ${when}): ${booked.message}`;
    if (booked.ok && (current.stage === "new" || current.stage === "contacted"))
      await tx.saveLead({ ...current, stage: "tour_booked", updatedAt: ports.now() });
    await tx.addTouch({
      id: ports.newId(),
      leadId: lead.id,
      gymId,
      at: ports.now(),
      actorId: null,
      kind: booked.ok ? "trial" : "note",
      note,
    });
  });
  ports.leadsChanged(gymId);
  if (!booked.ok) return new DomainError(booked.code in ErrorCodes ? (booked.code as ErrorCode) : "BOOKING_CLOSED", booked.message);
  if (ports.mail) {
    const lines = [
      `Hi ${input.name},`,
      `your free trial at ${form.gymName} is booked: ${session.className}, ${when}.`,
      "Come 10 minutes early and tell the coach it's your trial. See you there!",
    ];
    const action = { label: "Open Spotter", url: `${ports.publicUrl()}/` };
    await ports.mail.enqueue({
      to: email,
      gymId,
      template: "trial_confirmation",
      subject: `Your free trial at ${form.gymName}`,
      text: `${lines.join("\n\n")}\n\n${action.url}\n`,
      html: mailHtml(`Your free trial at ${form.gymName}`, lines, action),
    });
  }
  return { leadId: lead.id, className: session.className, startsAt: session.startsAt };
}
