/**
 * What the lead use cases need from the outside world; `server/persistence/leadStore.ts` implements the store over
 * PostgreSQL and `server/persistence/leadSink.ts` tells the watching boards.
 */
import type { DomainError } from "../../domain/errors.js";
import type { Lead, LeadTouch, TourSlot, TrialForm } from "../../domain/leads/pipeline.js";
import type { MembershipPlan } from "../../domain/model.js";
import type { AdminActor, AdminAudit, AdminTx } from "../admin/ports.js";
import type { Clock, StaffReadLog } from "../requestContext.js";

/** Reads and writes inside one transaction. */
export interface LeadTx extends Pick<AdminTx, "lookalikes" | "userByEmail" | "addMember"> {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  lead(gymId: string, leadId: string, lock: boolean): Promise<Lead | null>;
  /** Open leads, and members and lost leads changed since `closedSince`, with their owner's name. */
  board(gymId: string, closedSince: number): Promise<(Lead & { ownerName: string | null })[]>;
  saveLead(lead: Lead): Promise<void>;
  addTouch(touch: LeadTouch): Promise<void>;
  /** The lead's touches, newest first, with the name of who logged each. */
  touches(gymId: string, leadId: string, limit: number): Promise<(LeadTouch & { actorName: string | null })[]>;
  /** Whether `userId` works at the gym (a lead's owner must). */
  isStaff(gymId: string, userId: string): Promise<boolean>;
  /** Whether `memberId` still has a membership of the gym. */
  isMember(gymId: string, memberId: string): Promise<boolean>;
  trialForm(gymId: string): Promise<TrialForm | null>;
  saveTrialForm(form: TrialForm): Promise<void>;
  savePlan(plan: MembershipPlan): Promise<void>;
  /** Tour slots starting from `from`, soonest first, with the leads booked on each. */
  tourSlots(gymId: string, from: number, limit: number): Promise<(TourSlot & { leads: { leadId: string; name: string }[] })[]>;
  /** One slot, locked, with how many are booked on it. */
  tourSlot(gymId: string, slotId: string): Promise<(TourSlot & { booked: number }) | null>;
  saveTourSlot(slot: TourSlot): Promise<void>;
  audit(a: AdminAudit): void;
}

export interface LeadStore {
  /** As `AdminStore.transaction`: one audited transaction, idempotent by the actor's command id. */
  transaction<T>(actor: AdminActor, type: string, work: (tx: LeadTx) => Promise<T>): Promise<T | DomainError>;
  read<T>(work: (tx: LeadTx) => Promise<T>): Promise<T>;
}

export interface LeadPorts {
  store: LeadStore;
  /** A lead of the gym changed (committed): every board watching it asks again, on every node. */
  changed: (gymId: string) => void;
  newId: () => string;
}

/** The pipeline's requests on the socket: the use cases' ports, the clock and the audit of staff reads. */
export interface LeadRequestPorts extends LeadPorts {
  readAudit: StaffReadLog;
  now: Clock;
}
