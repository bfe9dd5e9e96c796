/**
 * What the segment use cases need: `server/persistence/segmentStore.ts` computes a filter in SQL and changes tags in
 * one audited transaction.
 */
import type { DomainError } from "../../domain/errors.js";
import type { SegmentFilter } from "../../domain/segments/filter.js";
import type { AdminActor, AdminAudit, AdminPorts } from "../admin/ports.js";
import type { NoticeTransaction } from "../notices/ports.js";
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
  /** The ids of everyone the filter finds, at most `limit`. */
  memberIds(gymId: string, filter: SegmentFilter, now: number, timeZone: string, limit: number): Promise<string[]>;
  /** How many bulk messages the gym sent since `since`, counted under a per-gym lock held until this transaction ends. */
  bulkMessagesSince(gymId: string, since: number): Promise<number>;
  /** Notices written inside this transaction (they commit with its audit row or not at all). */
  /** Notices sent with `admin.notices.notify(ids, draft, tx.notices)` are written in this transaction. */
  notices: NoticeTransaction;
  audit(a: AdminAudit): void;
}

export interface SegmentStore {
  transaction<T>(actor: AdminActor, type: string, work: (tx: SegmentTx) => Promise<T>): Promise<T | DomainError>;
  read<T>(work: (tx: SegmentTx) => Promise<T>): Promise<T>;
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
