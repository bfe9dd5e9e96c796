/**
 * What every use case behind the dispatch table (`server/realtime/requestTable.ts`) is called with: who asks, where,
 * the validated payload — and, for the few requests that start or stop live frames, the asking socket's subscriptions.
 */

/** The asking connection's live frames (a port: the socket side implements it with its channels). */
export interface LiveFrames {
  /** `feed:posted` frames of a gym's feed, as `userId` may see them. */
  watchFeed(gymId: string, userId: string): void;
  unwatchFeed(gymId: string, userId: string): void;
  /** `board:changed` frames of a gym's leaderboards. */
  watchBoards(gymId: string): void;
  unwatchBoards(gymId: string): void;
  /** `leads:changed` frames of a gym's sales pipeline. */
  watchLeads(gymId: string): void;
  unwatchLeads(gymId: string): void;
  /** `report:changed` frames of a gym's owner report (a visit committed: the at-risk list may have changed). */
  watchReport(gymId: string): void;
  unwatchReport(gymId: string): void;
}

/** A request on room `gym:<gymId>` by a member or staff of that gym (access and role already checked). */
export interface GymRequest<P> {
  userId: string;
  gymId: string;
  /** The caller's role in the gym (`member` for members). */
  role: string;
  payload: P;
  /** The request's command id (audit rows name it; retries with it answer the first result). */
  commandId: string | null;
  live: LiveFrames | undefined;
  /** The asking device as the connection saw it (evidence where a member signs), when the transport knows it. */
  client?: ClientInfo;
}

/** The asking device as the connection saw it. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** A request on the caller's own room `user:<userId>` (a user row exists). */
export interface UserRequest<P> {
  userId: string;
  payload: P;
  commandId: string | null;
  /** The caller's sign-in session (a device), when their token names one. */
  sessionId: string | null;
}

/** A staff read of personal data: who read what. `summary` holds counts, never the data or search text. */
export interface StaffRead {
  gymId: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
  commandId: string | null;
  at: number;
}

/** Audits staff reads of several people's personal data, or of a full profile (issue 14 item 6). */
export interface StaffReadLog {
  record(read: StaffRead): Promise<void>;
}

/** The clock, passed in: use cases read no time of their own. */
export type Clock = () => number;
