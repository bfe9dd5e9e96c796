/**
 * What setting a gym up needs from the outside world: `server/persistence/setupStore.ts` implements the store over
 * PostgreSQL; `server/requestsRuntime.ts` tells the live gym room and sends class rooms their edits.
 */
import type { ClassSession, ClassType, GymPolicy, LocationRoom, OpeningHours, RecurringSchedule } from "../../domain/model.js";
import type { Ack } from "../../domain/protocol/envelope.js";
import type { CatalogChange } from "../../domain/schedule/catalog.js";
import type { SeriesSession } from "../../domain/schedule/seriesChange.js";
import type { DomainError } from "../../domain/errors.js";
import type { AdminActor, AdminAudit } from "../admin/ports.js";

/** The gym's own details as set-up reads and writes them. */
export interface GymDetails {
  name: string;
  timeZone: string;
  locale: string;
  openingHours: OpeningHours | null;
  needsSetup: boolean;
  policy: GymPolicy;
}

export interface LocationRecord {
  id: string;
  gymId: string;
  name: string;
  address: string;
  archived: boolean;
}

/** Reads and writes inside one transaction. */
export interface SetupTx {
  gym(gymId: string, lock: boolean): Promise<GymDetails | null>;
  saveGym(gymId: string, details: GymDetails): Promise<void>;
  locations(gymId: string): Promise<LocationRecord[]>;
  saveLocation(l: LocationRecord): Promise<void>;
  rooms(gymId: string): Promise<LocationRoom[]>;
  saveRoom(r: LocationRoom): Promise<void>;
  classTypes(gymId: string): Promise<ClassType[]>;
  saveClassType(t: ClassType): Promise<void>;
  /** Who may coach a class: the gym's active owners, admins and coaches (user ids). */
  coaches(gymId: string): Promise<string[]>;
  /** The gym's classes (any status) starting from `from` to `to` (inclusive), as `classTypeId|startsAt|locationId`. */
  classesAt(gymId: string, from: number, to: number): Promise<Set<string>>;
  /** Adds new classes (ids not taken yet). */
  addSessions(sessions: ClassSession[]): Promise<void>;
  /** The gym's recurring series (at most 500, newest first). */
  series(gymId: string): Promise<RecurringSchedule[]>;
  saveSeries(s: RecurringSchedule): Promise<void>;
  /** A class of the gym with its live counts. */
  session(gymId: string, sessionId: string): Promise<SeriesSession | null>;
  /** The classes of a series starting at or after `from`, with their live counts (at most `limit`). */
  seriesSessions(gymId: string, scheduleId: string, from: number, limit: number): Promise<SeriesSession[]>;
  audit(a: AdminAudit): void;
}

export interface SetupStore {
  /** One transaction with its audit rows, idempotent by the actor's command id (see `AdminStore.transaction`). */
  transaction<T>(actor: AdminActor, type: string, work: (tx: SetupTx) => Promise<T>): Promise<T | DomainError>;
  read<T>(work: (tx: SetupTx) => Promise<T>): Promise<T>;
}

/** The live rooms: the gym room takes catalogue and policy changes at once (on whichever node runs it). */
export interface SetupLive {
  catalogChanged(gymId: string, change: CatalogChange): Promise<void>;
  policyChanged(gymId: string, policy: GymPolicy): Promise<void>;
  /**
   * The gym's time zone changed: everything live that counts in local time (the gym room's today and week, class
   * rooms' times in words and weeks, members' weekly plans and streaks) is read again at once, on every node.
   */
  timeZoneChanged(gymId: string): Promise<void>;
}

/** Class rooms, asked as the staff member (the same rules and audit as the roster's own edit or cancel). */
export interface ClassEdits {
  send(
    actorId: string,
    gymId: string,
    commandId: string,
    command: { type: "class:updateSession" | "class:cancel"; payload: { sessionId: string } & Record<string, unknown> },
  ): Promise<Ack<unknown>>;
}

export interface SetupPorts {
  store: SetupStore;
  live: SetupLive;
  classes: ClassEdits;
  newId: () => string;
  now: () => number;
}
