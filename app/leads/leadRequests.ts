/**
 * The sales pipeline's requests (domain/protocol/leads.ts) as the dispatch table calls them. Reading the board or a
 * lead is a staff read of personal data: audited. `gym:leads` with `watch` starts (or stops) `leads:changed` frames.
 */
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import { actorOf } from "../admin/requests.js";
import type { GymRequest } from "../requestContext.js";
import { convertLead as convert, leadBoard, leadDetail, moveLead as move, saveLead as save, touchLead as touch } from "./leads.js";
import type { LeadRequestPorts } from "./ports.js";
import { saveTourSlot as saveSlot, tourSlots as slots } from "./tours.js";
import { setTrialForm as setForm } from "./trials.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

const audited = (p: LeadRequestPorts, c: GymRequest<unknown>, action: string, entityId: string | null, summary: Record<string, unknown>) =>
  p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action,
    entityType: "lead",
    entityId,
    summary,
    commandId: c.commandId,
    at: p.now(),
  });

/** The board (an audited read); `watch: true` subscribes first, so a change committed in between still arrives. */
export async function leads(p: LeadRequestPorts, c: In<"gym:leads">) {
  if (c.payload.watch === true) c.live?.watchLeads(c.gymId);
  if (c.payload.watch === false) c.live?.unwatchLeads(c.gymId);
  const board = await leadBoard(p, actorOf(p, c));
  await audited(p, c, "gym:leads", null, { leads: board.leads.length });
  return board;
}

/** One lead with its touches (an audited read); null (NOT_FOUND) outside the gym. */
export async function lead(p: LeadRequestPorts, c: In<"gym:lead">) {
  const found = await leadDetail(p, c.gymId, c.payload.leadId);
  if (found) await audited(p, c, "gym:lead", c.payload.leadId, {});
  return found;
}

export const saveLead = (p: LeadRequestPorts, c: In<"gym:saveLead">) => save(p, actorOf(p, c), c.payload);
export const moveLead = (p: LeadRequestPorts, c: In<"gym:moveLead">) => move(p, actorOf(p, c), c.payload);
export const touchLead = (p: LeadRequestPorts, c: In<"gym:touchLead">) => touch(p, actorOf(p, c), c.payload);
export const setTrialForm = (p: LeadRequestPorts, c: In<"gym:setTrialForm">) => setForm(p, actorOf(p, c), c.payload);
export const convertLead = (p: LeadRequestPorts, c: In<"gym:convertLead">) => convert(p, actorOf(p, c), c.payload);

/** The upcoming tour slots with the leads booked on them (an audited read of their names). */
export async function tourSlots(p: LeadRequestPorts, c: In<"gym:tourSlots">) {
  const found = await slots(p, c.gymId, p.now());
  await audited(p, c, "gym:tourSlots", null, { slots: found.slots.length });
  return found;
}

export const saveTourSlot = (p: LeadRequestPorts, c: In<"gym:saveTourSlot">) => saveSlot(p, actorOf(p, c), c.payload);
