/**
 * The sales funnel (docs/domain.md "Leads and trials"): a lead moves new → contacted → tour booked → trial → member,
 * or is lost with a reason. Pure rules; time is passed in as the gym's local date.
 */
import { DomainError } from "../errors.js";

export const LeadStages = ["new", "contacted", "tour_booked", "trial", "member", "lost"] as const;
export type LeadStage = (typeof LeadStages)[number];

/** Stages a lead is still being worked in (the board's first four columns). */
export const OpenStages = ["new", "contacted", "tour_booked", "trial"] as const satisfies readonly LeadStage[];

export const LeadSources = ["walk_in", "website", "referral", "social", "other"] as const;
export type LeadSource = (typeof LeadSources)[number];

/** What staff log on a lead's timeline; `stage`, `trial`, `converted` and `created` are written by Spotter itself. */
export const TouchKinds = ["call", "email", "text", "visit", "note"] as const;
export type TouchKind = (typeof TouchKinds)[number] | "stage" | "trial" | "tour" | "converted" | "created";

/** A time staff show people around (capacity 0: closed to new bookings). */
export interface TourSlot {
  id: string;
  gymId: string;
  startsAt: number;
  capacity: number;
  createdBy: string;
  updatedAt: number;
}

/** Most people on one tour. */
export const MaxTourCapacity = 20;

export interface Lead {
  id: string;
  gymId: string;
  name: string;
  email: string | null;
  phone: string | null;
  source: LeadSource;
  interest: string;
  /** The staff member working the lead; null = anyone. */
  ownerId: string | null;
  stage: LeadStage;
  lostReason: string;
  /** Gym date of the next follow-up; null = none planned. */
  followUpOn: string | null;
  /** The member the lead became (or the trial account holding their trial booking). */
  memberId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A lead as staff screens show it (`gym:leads`, `gym:lead`). */
export interface LeadLine {
  leadId: string;
  name: string;
  email: string | null;
  phone: string | null;
  source: LeadSource;
  interest: string;
  ownerId: string | null;
  ownerName: string | null;
  stage: LeadStage;
  lostReason: string;
  followUpOn: string | null;
  memberId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The `gym:leads` answer. */
export interface LeadBoard {
  /** The gym's date now (what "today" means for follow-ups). */
  today: string;
  leads: LeadLine[];
  counts: Record<LeadStage, number>;
  /** The asking staff member's leads (or nobody's) due for a follow-up, oldest date first. */
  followUpToday: string[];
  /** The gym's public trial form (null until an owner or admin sets it up). */
  trialForm: Pick<TrialForm, "enabled" | "embedOrigins"> | null;
}

/** A gym's public trial form (docs/domain.md "Leads and trials"). */
export interface TrialForm {
  gymId: string;
  enabled: boolean;
  /** Origins ("https://gym.example") whose pages may embed the form in a frame; none = only Spotter's own pages. */
  embedOrigins: string[];
  /** The gym's trial plan (kind `trial`, one credit), made when the form is first switched on. */
  planId: string | null;
  updatedAt: number;
}

/** The trial plan's terms: one class within 14 days, free. */
export const TrialPlanTerms = { name: "Free trial", credits: 1, validDays: 14 } as const;

/** One entry of a lead's timeline. */
export interface LeadTouch {
  id: string;
  leadId: string;
  gymId: string;
  at: number;
  actorId: string | null;
  kind: TouchKind;
  note: string;
}

export const isOpen = (stage: LeadStage): boolean => (OpenStages as readonly string[]).includes(stage);

const invalid = (field: string, message: string) => new DomainError("VALIDATION_FAILED", undefined, { fields: { [field]: message } });

/**
 * Whether staff may move `lead` to `to`: any open stage to any other open stage (a tour gets cancelled), to `lost`
 * with a reason, a lost lead back to an open stage; `member` only by converting, and a member is never moved again.
 */
/** A lead made by the public trial/tour form: source "website", nobody's yet, at the stage the form's booking gives. */
export function websiteLead(
  id: string,
  gymId: string,
  person: { name: string; email: string; phone?: string | null | undefined; interest?: string | undefined },
  stage: LeadStage,
  memberId: string | null,
  now: number,
): Lead {
  return {
    id,
    gymId,
    name: person.name,
    email: person.email,
    phone: person.phone ?? null,
    source: "website",
    interest: person.interest ?? "",
    ownerId: null,
    stage,
    lostReason: "",
    followUpOn: null,
    memberId,
    createdAt: now,
    updatedAt: now,
  };
}

export function checkMove(lead: Pick<Lead, "stage">, to: LeadStage, lostReason: string): DomainError | null {
  if (lead.stage === "member") return invalid("stage", "This lead is a member already — open their profile instead.");
  if (to === "member") return invalid("stage", "Convert the lead to make them a member (their details move with them).");
  if (to === lead.stage) return invalid("stage", "The lead is in this stage already.");
  if (to === "lost" && lostReason.trim() === "") return invalid("lostReason", "Say why the lead was lost");
  return null;
}

/** The stage a checked-in trial visit moves a lead to; null when it stays (converted, lost, or on trial already). */
export function stageAfterTrialVisit(stage: LeadStage): LeadStage | null {
  return stage === "new" || stage === "contacted" || stage === "tour_booked" ? "trial" : null;
}

/** Whether the lead is on `staffId`'s "follow up today" list: open, theirs or nobody's, and due by `today`. */
export function followUpDue(lead: Pick<Lead, "stage" | "ownerId" | "followUpOn">, staffId: string, today: string): boolean {
  return isOpen(lead.stage) && (lead.ownerId === null || lead.ownerId === staffId) && lead.followUpOn !== null && lead.followUpOn <= today;
}

/** Leads per stage, every stage present (the board's column counts). */
export function countByStage(leads: readonly Pick<Lead, "stage">[]): Record<LeadStage, number> {
  const counts = Object.fromEntries(LeadStages.map((s) => [s, 0])) as Record<LeadStage, number>;
  for (const l of leads) counts[l.stage] += 1;
  return counts;
}
