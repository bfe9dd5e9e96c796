/**
 * Leads and trials (issue 22): the staff's sales pipeline, on room `gym:<gymId>`, answered without a room actor.
 * Every write is audited in its own transaction and idempotent by `commandId`; every open board hears
 * `leads:changed { gymId }` after a change and asks again.
 */
import { z } from "zod";
import { LeadSources, LeadStages, MaxTourCapacity, TouchKinds } from "../leads/pipeline.js";
import { Id, LocalDate } from "./fields.js";
import { storableText } from "./text.js";

const Email = z.string().trim().toLowerCase().pipe(z.email("Check the email address").max(320));

/** A web origin ("https://gym.example"), as CSP `frame-ancestors` takes it: https, or http on localhost. */
export const Origin = z
  .string()
  .trim()
  .max(200)
  .transform((v, ctx) => {
    let url: URL | null = null;
    try {
      url = new URL(v);
    } catch {
      url = null;
    }
    const local = url?.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url.hostname);
    if (
      !url ||
      !(url.protocol === "https:" || local) ||
      (url.pathname !== "/" && url.pathname !== "") ||
      url.search ||
      url.hash ||
      url.username
    ) {
      ctx.addIssue({ code: "custom", message: "Use a site address like https://yourgym.com" });
      return z.NEVER;
    }
    return url.origin;
  });

/** What a person sends with the public trial form (`POST /trial/<gymId>`); `website` is a honeypot (humans leave it empty). */
export const TrialRequestSchema = z
  .object({
    name: storableText({ min: 1, max: 200, required: "Tell us your name" }),
    email: z.string().trim().toLowerCase().pipe(z.email("Check the email address").max(320)),
    phone: storableText({ max: 40 }).optional(),
    interest: storableText({ max: 500 }).optional(),
    /** A trial class — or, instead, `tourSlotId`: a tour of the gym (exactly one of them). Empty fields count as absent. */
    sessionId: z.preprocess((v) => (v === "" ? undefined : v), Id.optional()),
    tourSlotId: z.preprocess((v) => (v === "" ? undefined : v), Id.optional()),
    accepted: z.literal("yes").optional(),
    website: z.string().max(500).optional(),
  })
  .refine((r) => (r.sessionId === undefined) !== (r.tourSlotId === undefined), { message: "Pick a class or a tour", path: ["sessionId"] });

const LeadFields = {
  name: storableText({ min: 1, max: 200, required: "Required" }),
  email: Email.optional(),
  phone: storableText({ max: 40 }).optional(),
  source: z.enum(LeadSources),
  interest: storableText({ max: 500 }).optional(),
  ownerId: Id.nullable().optional(),
  followUpOn: LocalDate.nullable().optional(),
};

export const LeadSchemas = {
  /**
   * Owners, admins, front desk: the pipeline board → `{ today, leads: [{ leadId, name, email, phone, source, interest, ownerId,
   * ownerName, stage, lostReason, followUpOn, memberId, updatedAt }], counts: { new, contacted, … }, followUpToday: [leadId] }`
   * (members and lost leads of the last 30 days only). `watch: true` also sends this socket `leads:changed` frames.
   */
  "gym:leads": z.strictObject({ watch: z.boolean().optional() }),
  /** Owners, admins, front desk: one lead with its timeline of touches, newest first → `{ lead, touches: [{ at, kind, note, actorName }] }`. */
  "gym:lead": z.strictObject({ leadId: Id }),
  /**
   * Owners, admins, front desk: add a lead (stage `new`, no `leadId`) or change one's details (a lost lead's
   * `lostReason` too) → `{ leadId }`.
   * @example { name: "Mia Park", email: "mia@example.com", source: "walk_in", interest: "Weightlifting", followUpOn: "2026-12-08" }
   */
  "gym:saveLead": z.strictObject({ leadId: Id.optional(), ...LeadFields, lostReason: storableText({ max: 300 }).optional() }),
  /** Owners, admins, front desk: move a lead to another stage (`lost` needs `lostReason`; `member` only by `gym:convertLead`) → `{ leadId, stage }`. */
  "gym:moveLead": z.strictObject({ leadId: Id, stage: z.enum(LeadStages), lostReason: storableText({ max: 300 }).optional() }),
  /** Owners, admins, front desk: log a call, email, text, visit or note; `followUpOn` plans the next one (null: none) → `{ touchId }`. */
  "gym:touchLead": z.strictObject({
    leadId: Id,
    kind: z.enum(TouchKinds),
    note: storableText({ min: 1, max: 2_000, required: "Say what happened" }),
    followUpOn: LocalDate.nullable().optional(),
  }),
  /**
   * Owners, admins, front desk: make the lead a member (active) with their name, contact and interest as notes — or,
   * when the trial form made them an account already, that account with its trial history → `{ memberId }`. Needs an email.
   */
  "gym:convertLead": z.strictObject({ leadId: Id }),
  /**
   * Owners and admins: switch the public trial form on or off and list the sites that may embed it in a frame →
   * `{ enabled, embedOrigins, planId }`. The first call makes the gym's trial plan (one free class within 14 days).
   * @example { enabled: true, embedOrigins: ["https://yourgym.com"] }
   */
  "gym:setTrialForm": z.strictObject({ enabled: z.boolean(), embedOrigins: z.array(Origin).max(10) }),
  /** Owners, admins, front desk: the upcoming tour slots with who is booked → `{ slots: [{ slotId, startsAt, capacity, leads: [{ leadId, name }] }] }`. */
  "gym:tourSlots": z.strictObject({}),
  /**
   * Owners, admins, front desk: open a tour slot (no `slotId`; `startsAt` in the future) or change one; capacity 0
   * closes it to new bookings, and it can't go below the people booked → `{ slotId }`.
   * @example { startsAt: 1767254400000, capacity: 4 }
   */
  "gym:saveTourSlot": z.strictObject({
    slotId: Id.optional(),
    startsAt: z.int().min(0).max(8_640_000_000_000),
    capacity: z.int().min(0).max(MaxTourCapacity),
  }),
} as const;

/** Sent to sockets that watch the pipeline (`gym:leads { watch: true }`) after any lead of the gym changed; carries no data. */
export type LeadsChanged = { gymId: string };
