/**
 * What the administration use cases need from the outside world, as interfaces; `server/persistence/adminStore.ts`
 * implements them over PostgreSQL and `server/cluster/standingNotes.ts` tells the live rooms.
 */
import type { Charge } from "../../domain/admin/charges.js";
import type { ClassReach } from "../../domain/admin/settingsPreview.js";
import type { LedgerEntry, LedgerKind } from "../../domain/admin/plans.js";
import type { WaiverDocument, WaiverSignature } from "../../domain/admin/waivers.js";
import type { Ack } from "../../domain/protocol/envelope.js";
import type { NoticeSender, NoticeTransaction } from "../notices/ports.js";
import type { GymPolicy, MembershipPlan, MembershipStatus, Role } from "../../domain/model.js";

/** Who asks, where, and when. */
export interface AdminActor {
  userId: string;
  role: Role | string;
  gymId: string;
  /** The request's command id: a retry with the same id answers the first result. */
  commandId: string | null;
  now: number;
  /** The asking device, kept as evidence where a member signs (address and user agent, cut to the columns' sizes). */
  client?: { ip: string; userAgent: string };
}

/** A member's row as administration reads it (locked for the transaction when asked). */
export interface MemberAccountRow {
  memberId: string;
  role: Role;
  status: MembershipStatus;
  planId: string | null;
  credits: number | null;
  creditsExpireAt: number | null;
  frozenUntil: string | null;
  /** The plan's last day (gym date, inclusive; null: open-ended). */
  planEndsOn?: string | null;
}

export interface PlanAssignmentRecord {
  id: string;
  gymId: string;
  memberId: string;
  planId: string;
  startsOn: string;
  endsOn: string | null;
  priceCents: number;
  assignedBy: string;
  assignedAt: number;
  /** The first gym day the dues job looks at it (its start: the job bills the periods after the first). */
  nextDuesOn: string | null;
}

/** One audit row, written last in the transaction that makes the change. */
export interface AdminAudit {
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** Reads and writes inside one transaction. */
export interface AdminTx {
  /** Notices sent with this (`ports.notices.notify(ids, draft, tx.notices)`) are written in this transaction. */
  notices: NoticeTransaction;
  gym(gymId: string): Promise<{ timeZone: string; currency: string } | null>;
  policy(gymId: string, lock: boolean): Promise<GymPolicy | null>;
  savePolicy(gymId: string, policy: GymPolicy): Promise<void>;
  /** How many of the gym's classes (and bookings) a settings change reaches: not closed, and yet to start at `now`. */
  classReach(gymId: string, now: number): Promise<ClassReach>;
  plan(gymId: string, planId: string): Promise<MembershipPlan | null>;
  plans(gymId: string): Promise<MembershipPlan[]>;
  savePlan(plan: MembershipPlan): Promise<void>;
  /** How many of `ids` are class types of the gym. */
  countClassTypes(gymId: string, ids: readonly string[]): Promise<number>;
  member(gymId: string, memberId: string, lock: boolean): Promise<MemberAccountRow | null>;
  /** Puts the member on the plan from `startsOn` to `endsOn` (gym dates, inclusive; null = open-ended). */
  setPlan(gymId: string, memberId: string, planId: string, days: { startsOn: string; endsOn: string | null }): Promise<void>;
  addAssignment(a: PlanAssignmentRecord): Promise<void>;
  /**
   * Moves the cached balance and appends the ledger entry in one statement, never below 0; null when the guard
   * refused. `expireAt` sets the credits' expiry in the same statement.
   */
  moveCredits(
    gymId: string,
    move: { memberId: string; amount: number; kind: LedgerKind; actorId: string; reason: string; ref: string | null },
    at: number,
    expireAt?: number,
  ): Promise<number | null>;
  addCharge(c: Charge): Promise<void>;
  /** A charge of the gym: a stored one, or an unsettled class fee as an open charge. */
  charge(gymId: string, chargeId: string, lock: boolean): Promise<Charge | null>;
  saveCharge(c: Charge): Promise<void>;
  /** The refund of a paid charge, if it was refunded. */
  refundOf(gymId: string, chargeId: string): Promise<Charge | null>;
  ledger(gymId: string, memberId: string, limit: number): Promise<LedgerEntry[]>;
  charges(gymId: string, memberId: string, limit: number): Promise<Charge[]>;
  audit(a: AdminAudit): void;
  /** Members of the gym whose email or phone digits match (duplicate detection). */
  lookalikes(
    gymId: string,
    email: string,
    phoneDigits: string,
  ): Promise<{ memberId: string; name: string; email: string; phone: string | null }[]>;
  /** The user with this email (any gym), to add an existing person rather than a second account. */
  userByEmail(email: string): Promise<{ id: string } | null>;
  addMember(m: {
    userId: string;
    gymId: string;
    newUser: boolean;
    profile: MemberProfileFields & { email: string; name: string };
    joinedAt: number;
    membershipId: string;
  }): Promise<void>;
  memberProfile(gymId: string, memberId: string): Promise<(MemberProfileFields & { name: string; email: string }) | null>;
  updateMember(gymId: string, memberId: string, change: Partial<MemberProfileFields & { name: string }>): Promise<void>;
  /** Who coaches the gym's class (null: nobody named); null when the gym has no such class. */
  classCoach(gymId: string, sessionId: string): Promise<{ coachId: string | null } | null>;
  /** Sessions (ids) starting in [from, to) where the member holds a live booking. */
  liveBookings(gymId: string, memberId: string, from: number, to: number): Promise<string[]>;
  setFreeze(
    gymId: string,
    memberId: string,
    freeze: { status: MembershipStatus; frozenUntil: string | null; freezeReason: string },
  ): Promise<void>;
  /** The gym's published waiver versions, newest first (at most 100). */
  waiverDocuments(gymId: string): Promise<WaiverDocument[]>;
  addWaiverDocument(d: WaiverDocument): Promise<void>;
  /** The member's signatures in this gym, newest first. */
  waiverSignatures(gymId: string, memberId: string): Promise<WaiverSignature[]>;
  /** Stores a signature; false when this member already signed this document (the first one stands). */
  addWaiverSignature(s: WaiverSignature): Promise<boolean>;
  /** Of `memberIds`, those reminded of `documentId` at or after `since`. */
  waiverRemindedSince(documentId: string, memberIds: readonly string[], since: number): Promise<string[]>;
  /** Records that these members were reminded of `documentId` now. */
  markWaiverReminded(gymId: string, documentId: string, memberIds: readonly string[], at: number): Promise<void>;
  /** When the member's photo last changed; null without one. */
  photoUpdatedAt(gymId: string, memberId: string): Promise<number | null>;
  /** Members (role member, not cancelled) without a signature of `documentId`, by name, and how many in all. */
  unsignedMembers(
    gymId: string,
    documentId: string,
    limit: number,
    only?: readonly string[],
  ): Promise<{ total: number; members: { memberId: string; name: string; email: string; status: MembershipStatus }[] }>;
}

/** What staff keep about a member besides name and email. */
export interface MemberProfileFields {
  phone: string | null;
  birthday: string | null;
  emergencyContact: string;
  notes: string;
  tags: string[];
}

export interface AdminStore {
  /**
   * Runs `work` in one transaction with its audit rows. With a command id, a retry answers the first result and runs
   * nothing. A `DomainError` thrown by `work` rolls everything back and is returned.
   */
  transaction<T>(
    actor: AdminActor,
    type: string,
    work: (tx: AdminTx) => Promise<T>,
  ): Promise<T | import("../../domain/errors.js").DomainError>;
  /** One read-only transaction (no audit, no idempotency). */
  read<T>(work: (tx: AdminTx) => Promise<T>): Promise<T>;
}

/** Tells the live rooms on every node (see `server/cluster/standingNotes.ts`). */
export interface StandingNotifier {
  /** A member's plan, credits or status changed. */
  memberChanged(gymId: string, memberId: string): void;
  /** A user's name or contact changed in every gym they belong to. */
  userChanged(userId: string): void;
  /** The gym's policy changed: its gym room (on whichever node runs it) takes the new one. */
  policyChanged(gymId: string, policy: GymPolicy): Promise<void>;
  /** A plan definition changed: every member of the gym is read again. */
  gymChanged(gymId: string): void;
}

/** Class rooms, asked to act as the staff member (the room decides and stores it, as if sent from the roster). */
export interface ClassCommands {
  /** Books the member into the session (never the waitlist), as the roster would; the room's answer. */
  book(actorId: string, sessionId: string, memberId: string): Promise<Ack<unknown>>;
  /** Cancels the member's booking of the session without a fee; true when the room cancelled it. */
  cancelBooking(actorId: string, sessionId: string, memberId: string): Promise<boolean>;
  /**
   * Books the member into the session (the waitlist when full) and, once booked, checks them in from the desk — two
   * room commands whose ids derive from `commandId`, so a retry answers the same. Each answer as the room gave it.
   */
  bookAndCheckIn(
    actorId: string,
    sessionId: string,
    memberId: string,
    commandId: string,
  ): Promise<{ booking: Ack<unknown>; checkIn: Ack<unknown> | null }>;
}

export interface AdminPorts {
  store: AdminStore;
  notes: StandingNotifier;
  classes: ClassCommands;
  newId: () => string;
  /** SHA-256 of a text, hex: what a signature says the member saw. */
  hashText: (text: string) => string;
  /** The gym room checks a walk-in in as the staff member (the same decision as a desk scan). */
  desk: DeskCommands;
  /** Notices to members, written in the request's transaction (`tx.notices`). */
  notices: NoticeSender;
  /** A membership's access changed (a cancelled one reactivated): every node reads the member's access again. */
  accessChanged?: (gymId: string, memberId: string) => Promise<void>;
}

/** The front desk's gym room, asked to act as the staff member. */
export interface DeskCommands {
  /** Checks the member in at the desk; the room's answer (`{ status, message, … }`) or its error. */
  checkIn(actorId: string, gymId: string, memberId: string): Promise<Ack<unknown>>;
}
