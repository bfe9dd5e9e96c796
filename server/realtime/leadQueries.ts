/**
 * The sales pipeline's requests (domain/protocol/leads.ts) as `gym:*` handlers: each validates, authorizes by role
 * and calls its use case in `app/leads/`. Reading the board or a lead is a staff read of personal data: audited.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { convertLead, leadBoard, leadDetail, moveLead, saveLead, touchLead } from "../../app/leads/leads.js";
import { setTrialForm } from "../../app/leads/trials.js";
import type { LeadPorts } from "../../app/leads/ports.js";
import type { QueryPayload } from "../../domain/protocol/queries.js";
import { keys } from "../../rooms/keys.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { leadsChanged } from "../persistence/leadSink.js";
import { leadStore } from "../persistence/leadStore.js";
import { actorOf, type GymQueryContext, type InGym, type QueryHandlers } from "./queryHandler.js";

/** Who works the pipeline: not coaches. */
const Sales = ["owner", "admin", "front_desk"] as const;

export function leadQueries(d: { orm: MikroORM; now: () => number; inGym: InGym; readAudit: ReadAudit }): QueryHandlers {
  const ports: LeadPorts = { store: leadStore(d.orm), changed: (gymId) => leadsChanged(d.orm, gymId), newId: randomUUID };
  const actor = (c: GymQueryContext<unknown>) => actorOf(c, d.now());
  const audited = (c: GymQueryContext<unknown>, action: string, entityId: string | null, summary: Record<string, unknown>) =>
    d.readAudit.record({ gymId: c.gymId, actorId: c.userId, action, entityType: "lead", entityId, summary, commandId: c.commandId, at: d.now() });
  return {
    "gym:leads": d.inGym<QueryPayload<"gym:leads">>("gym:leads", Sales, async (c) => {
      // Subscribe before reading: a change committed in between still arrives as `leads:changed`.
      if (c.payload.watch === true) c.channels?.join(keys.leadsChannel(c.gymId));
      if (c.payload.watch === false) c.channels?.leave(keys.leadsChannel(c.gymId));
      const board = await leadBoard(ports, actor(c));
      await audited(c, "gym:leads", null, { leads: board.leads.length });
      return board;
    }),
    "gym:lead": d.inGym<QueryPayload<"gym:lead">>("gym:lead", Sales, async (c) => {
      const lead = await leadDetail(ports, c.gymId, c.payload.leadId);
      if (lead) await audited(c, "gym:lead", c.payload.leadId, {});
      return lead;
    }),
    "gym:saveLead": d.inGym<QueryPayload<"gym:saveLead">>("gym:saveLead", Sales, (c) => saveLead(ports, actor(c), c.payload)),
    "gym:moveLead": d.inGym<QueryPayload<"gym:moveLead">>("gym:moveLead", Sales, (c) => moveLead(ports, actor(c), c.payload)),
    "gym:touchLead": d.inGym<QueryPayload<"gym:touchLead">>("gym:touchLead", Sales, (c) => touchLead(ports, actor(c), c.payload)),
    "gym:setTrialForm": d.inGym<QueryPayload<"gym:setTrialForm">>("gym:setTrialForm", ["owner", "admin"], (c) => setTrialForm(ports, actor(c), c.payload)),
    "gym:convertLead": d.inGym<QueryPayload<"gym:convertLead">>("gym:convertLead", Sales, (c) => convertLead(ports, actor(c), c.payload)),
  };
}
