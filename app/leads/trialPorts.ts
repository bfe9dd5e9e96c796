/**
 * What the public trial form needs: `server/persistence/trialStore.ts` (PostgreSQL), the class rooms (a trial is
 * booked by the room like any booking) and the mail queue.
 */
import type { MailQueue } from "../signin/ports.js";
import type { Lead, LeadTouch, TrialForm } from "../../domain/leads/pipeline.js";
import type { MembershipPlan } from "../../domain/model.js";
import type { AdminAudit } from "../admin/ports.js";

/** A class the form offers: upcoming, bookable, with room left. */
export interface TrialSession {
  sessionId: string;
  className: string;
  startsAt: number;
  spotsLeft: number;
}

/** A tour the form offers: upcoming, with room left. */
export interface TrialTour {
  slotId: string;
  startsAt: number;
  spotsLeft: number;
}

/** The form as the public page shows it. */
export interface PublicTrialForm extends TrialForm {
  gymName: string;
  timeZone: string;
  /** Policies the gym requires before booking (`terms`, `privacy`) at their current versions: the form asks to accept them. */
  requiredConsents: { kind: "terms" | "privacy"; version: string }[];
}

export interface TrialTx {
  form(gymId: string, lock: boolean): Promise<PublicTrialForm | null>;
  saveForm(form: TrialForm): Promise<void>;
  savePlan(plan: MembershipPlan): Promise<void>;
  /** The gym's open lead (not member, not lost) with this email, locked. */
  openLeadByEmail(gymId: string, email: string): Promise<Lead | null>;
  saveLead(lead: Lead): Promise<void>;
  addTouch(touch: LeadTouch): Promise<void>;
  userByEmail(email: string): Promise<{ id: string } | null>;
  /** The person's membership of the gym, with its plan's kind. */
  membership(gymId: string, userId: string): Promise<{ status: string; planKind: string | null } | null>;
  /** A new user (when `newUser`) and an active membership on the trial plan with its credits (a `sale` ledger entry). */
  addTrialist(t: {
    userId: string;
    newUser: boolean;
    gymId: string;
    name: string;
    email: string;
    phone: string | null;
    planId: string;
    credits: number;
    expiresAt: number;
    membershipId: string;
    at: number;
  }): Promise<void>;
  /** Puts an existing member of the gym on the trial plan (a lapsed member trying again), credits as above. */
  restartTrial(t: { userId: string; gymId: string; planId: string; credits: number; expiresAt: number; at: number }): Promise<void>;
  consent(userId: string, kind: "terms" | "privacy", version: string, at: number): Promise<void>;
  /** The gym's tour slot, locked until the transaction ends (bookings of one slot queue here), with its bookings counted. */
  lockTourSlot(gymId: string, slotId: string): Promise<{ startsAt: number; capacity: number; booked: number } | null>;
  /** Books the lead on the slot; false when the lead is already on it. */
  bookTour(b: { id: string; gymId: string; slotId: string; leadId: string; at: number }): Promise<boolean>;
  /** Audit rows, written last (actor: the person asking, who acts on themself). */
  audit(actorId: string, a: AdminAudit): void;
}

export interface TrialStore {
  transaction<T>(gymId: string, at: number, work: (tx: TrialTx) => Promise<T>): Promise<T>;
  read<T>(work: (tx: TrialTx) => Promise<T>): Promise<T>;
  /** The next bookable sessions of the gym starting in [from, to), soonest first, at most `limit`. */
  sessions(gymId: string, from: number, to: number, limit: number): Promise<TrialSession[]>;
  /** One session as {@link sessions} would offer it, but also when it has no room left (null: not bookable, not the gym's). */
  session(gymId: string, sessionId: string, from: number, to: number): Promise<TrialSession | null>;
  /** The gym's open tour slots starting in [from, to) with room left, soonest first, at most `limit`. */
  tours(gymId: string, from: number, to: number, limit: number): Promise<TrialTour[]>;
}

/** The class room, asked to book the trialist (as themself, through the same rules as any booking). */
export interface TrialBookings {
  book(memberId: string, sessionId: string): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
}

export interface TrialPorts {
  store: TrialStore;
  bookings: TrialBookings;
  mail: MailQueue | null;
  /** The person's standing changed (a new trial plan): live rooms on every node read it again before the booking. */
  memberChanged(gymId: string, memberId: string): void;
  leadsChanged(gymId: string): void;
  newId: () => string;
  now: () => number;
  /** Where people open Spotter (the confirmation mail's link). */
  publicUrl: () => string;
}
