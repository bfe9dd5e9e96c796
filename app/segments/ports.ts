/**
 * What the segment use cases need: `server/persistence/segmentStore.ts` computes a filter in SQL and changes tags in
 * one audited transaction.
 */
import type { DomainError } from "../../domain/errors.js";
import type { SegmentFilter } from "../../domain/segments/filter.js";
import type { AdminActor, AdminAudit, AdminPorts } from "../admin/ports.js";
import type { Clock, StaffReadLog } from "../requestContext.js";

export interface SavedSegment {
  id: string;
  gymId: string;
  name: string;
  filter: SegmentFilter;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** One member a filter finds. */
export interface SegmentMember {
  memberId: string;
  name: string;
  email: string;
  phone: string | null;
  status: string;
  plan: string | null;
  lastVisitAt: number | null;
}

export interface SegmentTx {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  segments(gymId: string): Promise<SavedSegment[]>;
  segment(gymId: string, segmentId: string): Promise<SavedSegment | null>;
  saveSegment(s: SavedSegment): Promise<void>;
  deleteSegment(gymId: string, segmentId: string): Promise<boolean>;
  planNames(gymId: string): Promise<Map<string, string>>;
  /** How many members the filter finds at `now`. */
  count(gymId: string, filter: SegmentFilter, now: number, timeZone: string): Promise<number>;
  /** The members the filter finds, by name, at most `limit`. */
  members(gymId: string, filter: SegmentFilter, now: number, timeZone: string, limit: number): Promise<SegmentMember[]>;
  /** Adds (or removes) `tag` on everyone the filter finds; answers how many changed. */
  retag(gymId: string, filter: SegmentFilter, now: number, timeZone: string, tag: string, add: boolean): Promise<number>;
  audit(a: AdminAudit): void;
}

export interface SegmentStore {
  transaction<T>(actor: AdminActor, type: string, work: (tx: SegmentTx) => Promise<T>): Promise<T | DomainError>;
  read<T>(work: (tx: SegmentTx) => Promise<T>): Promise<T>;
}

/**
 * Sends a notice to members through the notification channels (the inbox of issue 20), respecting each member's
 * preferences. Bulk messages to a segment go through it once an adapter exists; until then the action is not offered.
 */
export interface NoticeSender {
  send(gymId: string, memberIds: readonly string[], notice: { title: string; body: string; actorId: string }): Promise<{ delivered: number; skipped: number }>;
}

export interface SegmentPorts {
  store: SegmentStore;
  newId: () => string;
  /** The administration use cases' ports: a bulk freeze freezes each member as `gym:freezeMember` does. */
  admin: AdminPorts;
}

/** Segment requests on the socket: the use cases' ports, the clock and the audit of staff reads. */
export interface SegmentRequestPorts extends SegmentPorts {
  readAudit: StaffReadLog;
  now: Clock;
}
