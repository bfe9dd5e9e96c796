/**
 * Tours (issue 22): staff open tour slots with a capacity; the public trial form books one for a lead, like a trial
 * class but with no account — the lead moves to "tour booked", the booking is on its timeline, a confirmation email
 * goes out. A slot's bookings queue on the slot's row lock, so its capacity holds under concurrent requests.
 */
import { DomainError } from "../../domain/errors.js";
import { normalEmail } from "../../domain/admin/members.js";
import { formatWhen } from "../../domain/format.js";
import { websiteLead, type Lead } from "../../domain/leads/pipeline.js";
import type { AdminActor } from "../admin/ports.js";
import { mailHtml } from "../signin/mailTemplates.js";
import type { LeadPorts } from "./ports.js";
import type { TrialPorts } from "./trialPorts.js";
import { trialPage } from "./trials.js";

/** Upcoming slots listed to staff. */
const ListedSlots = 60;

/** Staff: the upcoming tour slots with who is booked → `{ slots: [{ slotId, startsAt, capacity, leads: [{ leadId, name }] }] }`. */
export async function tourSlots(ports: LeadPorts, gymId: string, now: number) {
  const slots = await ports.store.read((tx) => tx.tourSlots(gymId, now, ListedSlots));
  return { slots: slots.map((s) => ({ slotId: s.id, startsAt: s.startsAt, capacity: s.capacity, leads: s.leads })) };
}

/** Staff: open a tour slot (no `slotId`) or change one's time or capacity (0 closes it to new bookings) → `{ slotId }`. */
export async function saveTourSlot(
  ports: LeadPorts,
  actor: AdminActor,
  input: { slotId?: string | undefined; startsAt: number; capacity: number },
) {
  if (!input.slotId && input.startsAt <= actor.now)
    return new DomainError("VALIDATION_FAILED", "A new tour needs a time in the future.", {
      fields: { "payload.startsAt": "Pick a time in the future" },
    });
  return ports.store.transaction(actor, "gym:saveTourSlot", async (tx) => {
    const before = input.slotId ? await tx.tourSlot(actor.gymId, input.slotId) : null;
    if (input.slotId && !before) return null;
    if (before && input.capacity > 0 && input.capacity < before.booked) {
      throw new DomainError(
        "CONFLICT",
        `${before.booked} people are booked on this tour — the capacity can't go below that (0 closes it).`,
        { details: { booked: before.booked } },
      );
    }
    const id = before?.id ?? ports.newId();
    await tx.saveTourSlot({
      id,
      gymId: actor.gymId,
      startsAt: input.startsAt,
      capacity: input.capacity,
      createdBy: before?.createdBy ?? actor.userId,
      updatedAt: actor.now,
    });
    tx.audit({
      action: "gym:saveTourSlot",
      entityType: "tour",
      entityId: id,
      before: before ? { startsAt: before.startsAt, capacity: before.capacity } : null,
      after: { startsAt: input.startsAt, capacity: input.capacity },
    });
    return { slotId: id };
  });
}

export interface TourRequest {
  name: string;
  email: string;
  phone?: string | undefined;
  interest?: string | undefined;
  tourSlotId: string;
}

/** The public form books a tour: the lead made or found, its place on the slot if there is room, a confirmation email. */
export async function requestTour(
  ports: TrialPorts,
  gymId: string,
  input: TourRequest,
): Promise<{ leadId: string; startsAt: number } | DomainError> {
  const now = ports.now();
  const page = await trialPage(ports, gymId);
  if (!page) return new DomainError("NOT_FOUND", "This gym has no trial form.");
  const { form } = page;
  const email = normalEmail(input.email);
  const done = await ports.store
    .transaction(gymId, now, async (tx) => {
      const slot = await tx.lockTourSlot(gymId, input.tourSlotId);
      if (!slot || slot.capacity <= 0 || slot.startsAt <= now)
        throw new DomainError("NOT_FOUND", "That tour isn't offered any more — pick another time.");
      if (slot.booked >= slot.capacity) throw new DomainError("CLASS_FULL", "That tour is full — pick another time.");
      const found = await tx.openLeadByEmail(gymId, email);
      const early = !found || found.stage === "new" || found.stage === "contacted";
      const lead: Lead = found
        ? { ...found, stage: early ? "tour_booked" : found.stage, updatedAt: now }
        : websiteLead(ports.newId(), gymId, { ...input, email }, "tour_booked", null, now);
      await tx.saveLead(lead);
      if (!(await tx.bookTour({ id: ports.newId(), gymId, slotId: input.tourSlotId, leadId: lead.id, at: now })))
        throw new DomainError("ALREADY_BOOKED", "You're already booked on that tour.");
      if (!found)
        await tx.addTouch({
          id: ports.newId(),
          leadId: lead.id,
          gymId,
          at: now,
          actorId: null,
          kind: "created",
          note: "Asked for a tour on the website",
        });
      await tx.addTouch({
        id: ports.newId(),
        leadId: lead.id,
        gymId,
        at: now,
        actorId: null,
        kind: "tour",
        note: `Tour booked: ${formatWhen(slot.startsAt, form.timeZone)}`,
      });
      return { leadId: lead.id, startsAt: slot.startsAt };
    })
    .catch((err: unknown) => (err instanceof DomainError ? err : Promise.reject(err)));
  if (done instanceof DomainError) return done;
  ports.leadsChanged(gymId);
  if (ports.mail) {
    const when = formatWhen(done.startsAt, form.timeZone);
    const lines = [`Hi ${input.name},`, `your tour of ${form.gymName} is booked: ${when}.`, "Ask for us at the front desk. See you there!"];
    await ports.mail.enqueue({
      to: email,
      gymId,
      template: "tour_confirmation",
      subject: `Your tour of ${form.gymName}`,
      text: `${lines.join("\n\n")}\n`,
      html: mailHtml(`Your tour of ${form.gymName}`, lines),
    });
  }
  return done;
}
