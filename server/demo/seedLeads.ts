/**
 * The demo gym's sales pipeline, worked on the Leads screen as staff would: the front desk adds each lead
 * (`gym:saveLead`), calls back those past "new" (`gym:touchLead`), moves them on (`gym:moveLead`) or converts the one
 * who joined (`gym:convertLead`, a new member) — each an audited transaction at the time it happened, so the timelines
 * and follow-ups due today are what real use leaves. Plus a saved "At risk" segment (`gym:saveSegment` as the owner).
 * Deterministic ids: seeding twice adds nothing.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { AdminActor } from "../../app/admin/ports.js";
import { convertLead, moveLead, saveLead, touchLead } from "../../app/leads/leads.js";
import type { LeadPorts } from "../../app/leads/ports.js";
import type { LeadSource, LeadStage } from "../../domain/leads/pipeline.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { saveSegment } from "../../app/segments/segments.js";
import { LeadEntity } from "../db/entities/index.js";
import { leadStore } from "../persistence/leadStore.js";
import { segmentStore } from "../persistence/segmentStore.js";
import { accepted } from "./demoPorts.js";
import { demoId } from "./demoIds.js";

const DAY = 86_400_000;

const LEADS: [name: string, source: LeadSource, interest: string, stage: LeadStage, ageDays: number, followUp: number | null][] = [
  ["Mia Park", "walk_in", "Weightlifting", "new", 0, 0],
  ["Jonas Weber", "website", "Beginner classes", "new", 1, null],
  ["Priya Nair", "referral", "CrossFit", "contacted", 3, 0],
  ["Tom Becker", "social", "Open gym", "contacted", 6, 2],
  ["Lea Fischer", "website", "Yoga", "tour_booked", 4, 1],
  ["Sam Okafor", "walk_in", "Boxing", "trial", 9, -1],
  ["Nora Kim", "referral", "Strength", "member", 20, null],
  ["Ben Alvarez", "social", "HIIT", "lost", 15, null],
];

export async function seedLeads(
  em: EntityManager,
  gymId: string,
  timeZone: string,
  deskId: string,
  ownerId: string,
  now: number,
): Promise<number> {
  if (await em.count(LeadEntity, { gymId })) return 0;
  const today = localDate(now, timeZone);
  const store = leadStore({ em });
  const ports = (...ids: string[]): LeadPorts => ({ store, changed: () => undefined, newId: () => ids.shift() ?? "" });
  const desk = (at: number): AdminActor => ({ userId: deskId, role: "front_desk", gymId, commandId: null, now: at });
  for (const [i, [name, source, interest, stage, age, followUp]] of LEADS.entries()) {
    const leadId = demoId(`lead:${i}`);
    const createdAt = now - age * DAY;
    await accepted(
      `lead ${name}`,
      saveLead(ports(leadId, demoId(`touch:${i}:0`)), desk(createdAt), {
        name,
        email: `${name.toLowerCase().replace(/\s+/g, ".")}@example.com`,
        source,
        interest,
        ownerId: i % 2 === 0 ? deskId : null,
        followUpOn: followUp === null ? null : localDate(Date.parse(`${today}T12:00:00Z`) + followUp * DAY, "UTC"),
      }),
    );
    if (stage === "new") continue;
    const call = { leadId, kind: "call" as const, note: "Called back, interested in a trial" };
    await accepted(`call to ${name}`, touchLead(ports(demoId(`touch:${i}:1`)), desk(createdAt + DAY / 2), call));
    const movedAt = now - Math.floor(age / 2) * DAY;
    if (stage === "member")
      await accepted(
        `${name} joining`,
        convertLead(ports(demoId(`user:lead${i}`), demoId(`membership:lead${i}`), demoId(`touch:${i}:2`)), desk(movedAt), { leadId }),
      );
    else if (stage !== "contacted")
      await accepted(
        `${name} to ${stage}`,
        moveLead(ports(demoId(`touch:${i}:2`)), desk(movedAt), {
          leadId,
          stage,
          lostReason: stage === "lost" ? "Chose a gym closer to work" : undefined,
        }),
      );
  }
  // The saved segment through the segments screen's own use case, as the owner.
  await accepted(
    "segment",
    saveSegment(
      { store: segmentStore({ em }), newId: () => demoId("segment:at-risk") },
      { userId: ownerId, role: "owner", gymId, commandId: null, now },
      { name: "At risk (14 days)", filter: { statuses: ["active"], noVisitDays: 14 } },
    ),
  );
  return LEADS.length;
}
