/**
 * The demo gym's sales pipeline: a few leads in every stage with touches on their timelines, follow-ups due today for
 * the front desk, and a saved "At risk" segment (saved by `gym:saveSegment` as the owner). Deterministic ids: seeding
 * twice adds nothing.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Lead, LeadSource, LeadStage } from "../../domain/leads/pipeline.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { saveSegment } from "../../app/segments/segments.js";
import { DomainError } from "../../domain/errors.js";
import { LeadEntity, LeadTouchEntity } from "../db/entities/index.js";
import { segmentStore } from "../persistence/segmentStore.js";
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
  const leads: Lead[] = LEADS.map(([name, source, interest, stage, age, followUp], i) => ({
    id: demoId(`lead:${i}`),
    gymId,
    name,
    email: `${name.toLowerCase().replace(/\s+/g, ".")}@example.com`,
    phone: null,
    source,
    interest,
    ownerId: i % 2 === 0 ? deskId : null,
    stage,
    lostReason: stage === "lost" ? "Chose a gym closer to work" : "",
    followUpOn: followUp === null ? null : localDate(Date.parse(`${today}T12:00:00Z`) + followUp * DAY, "UTC"),
    memberId: null,
    createdAt: now - age * DAY,
    updatedAt: now - Math.floor(age / 2) * DAY,
  }));
  const touches = leads.flatMap((l, i) => [
    {
      id: demoId(`touch:${i}:0`),
      leadId: l.id,
      gymId,
      at: l.createdAt,
      actorId: null,
      kind: "created" as const,
      note: `Added (${l.source.replace("_", "-")})`,
    },
    ...(l.stage !== "new"
      ? [
          {
            id: demoId(`touch:${i}:1`),
            leadId: l.id,
            gymId,
            at: l.createdAt + DAY / 2,
            actorId: deskId,
            kind: "call" as const,
            note: "Called back, interested in a trial",
          },
        ]
      : []),
  ]);
  await em.insertMany(LeadEntity, leads);
  await em.insertMany(LeadTouchEntity, touches);
  // The saved segment through the segments screen's own use case, as the owner.
  const saved = await saveSegment(
    { store: segmentStore({ em }), newId: () => demoId("segment:at-risk") },
    { userId: ownerId, role: "owner", gymId, commandId: null, now },
    { name: "At risk (14 days)", filter: { statuses: ["active"], noVisitDays: 14 } },
  );
  if (saved === null || saved instanceof DomainError) throw new Error(`demo segment refused: ${saved?.message ?? "no segment"}`);
  return leads.length;
}
