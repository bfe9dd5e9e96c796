/**
 * The composition root's requests half: the adapters of every port the use cases behind the dispatch table need
 * (`server/realtime/requestTable.ts`), and the dispatch the socket protocol calls.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { ClassCommands, StandingNotifier } from "../app/admin/ports.js";
import type { Revocation } from "../app/access/ports.js";
import type { Invitations } from "../app/signin/invitations.js";
import type { InvitationStore } from "../app/signin/ports.js";
import type { Sessions } from "../app/signin/sessions.js";
import { DomainError } from "../domain/errors.js";
import type { DailyVolumeLimits } from "../domain/workouts/dailyVolume.js";
import type { ResidentStandings } from "../rooms/residentStandings.js";
import type { ReadAudit } from "./audit/readAudit.js";
import type { PresenceCodes } from "./checkin/presenceCodes.js";
import { UserEntity } from "./db/entities/index.js";
import { accessStore } from "./persistence/accessStore.js";
import { adminStore } from "./persistence/adminStore.js";
import { deskReads } from "./persistence/deskReads.js";
import { deskSnapshotReads } from "./persistence/deskSnapshotReads.js";
import { feedRequestStore } from "./persistence/feedRequestStore.js";
import { meStore } from "./persistence/meStore.js";
import { privacyRequestStore } from "./persistence/privacyRequestStore.js";
import { selfCheckInSettings } from "./persistence/selfCheckInSettings.js";
import { signInRequestStore } from "./persistence/signInRequestStore.js";
import { trainingRequestStore } from "./persistence/trainingRequestStore.js";
import type { AccessControl } from "./realtime/access.js";
import type { MemberCodes } from "./realtime/memberCodes.js";
import { createRequestDispatch, type RequestDispatch } from "./realtime/requestDispatch.js";
import type { RequestPorts } from "./realtime/requestTable.js";

export interface RequestsDeps {
  orm: MikroORM;
  access: AccessControl;
  codes: MemberCodes;
  presence: PresenceCodes;
  /** Staff reads of several people's personal data, or of a full profile, are audited through it (issue 14 item 6). */
  readAudit: ReadAudit;
  now: () => number;
  /** Absolute base URL for links handed out (calendar feeds). */
  publicUrl: () => string;
  /** A member's personal data was anonymized: live rooms (on every node) must stop showing it. */
  onAnonymized?: (memberId: string) => void;
  /** A user's consents or profile changed: resident standings (on every node) read them again. */
  onUserChanged?: (userId: string) => void;
  /** Members in memory: the desk's search reads them instead of the database. */
  resident?: ResidentStandings;
  /** What one member may log in 24 hours (default `DefaultDailyVolumeLimits`). */
  workoutLimits?: DailyVolumeLimits;
  /** Access or tokens were revoked (committed): every node applies it. */
  onRevoked: (r: Revocation) => Promise<void>;
  /** Sign-in sessions (absent when the node has no signing secret). */
  sessions?: Sessions | undefined;
  /** Sign-in's sessions and invitations for the `user:sessions` / `gym:invite` … requests (same condition). */
  signIn?: { sessions: Sessions; invitations: Invitations; invitationStore: InvitationStore } | undefined;
  /** Plans, credits or memberships changed: resident standings on every node read them again. */
  notes: StandingNotifier;
  /** Class rooms, for administration that acts on bookings (a freeze cancels the bookings inside it). */
  classes: ClassCommands;
}

/** The adapters behind the table's ports. */
export function requestPorts(d: RequestsDeps): RequestPorts {
  const { orm, now, readAudit } = d;
  const userChanged = (userId: string) => d.onUserChanged?.(userId);
  const afterAnswer = (run: () => void) => void setImmediate(run);
  return {
    feed: { store: feedRequestStore(orm), readAudit, now },
    training: {
      store: trainingRequestStore(orm),
      membership: {
        check: async (userId, gymId) => {
          // The same rule as the gym room: another gym (or none) is NOT_FOUND, a cancelled membership FORBIDDEN.
          const access = await d.access.check(userId, `gym:${gymId}`);
          return access.ok ? null : new DomainError(access.code, access.message);
        },
      },
      now,
      workoutLimits: d.workoutLimits,
      memberChanged: (gymId, memberId) => d.notes.memberChanged(gymId, memberId),
    },
    admin: { store: adminStore(orm), notes: d.notes, classes: d.classes, newId: randomUUID, readAudit, now },
    me: { store: meStore(orm), codes: d.codes, now, publicUrl: d.publicUrl, userChanged },
    desk: { reads: deskReads(orm, d.resident), readAudit, now },
    snapshot: {
      reads: deskSnapshotReads(orm),
      codeKeys: (at) => d.codes.publicKeys(at).keys.map((k) => ({ kid: String(k.kid), x: String(k.x) })),
      readAudit,
      now,
    },
    privacy: { store: privacyRequestStore(orm), now, userChanged, anonymized: (memberId) => d.onAnonymized?.(memberId), announce: d.onRevoked },
    checkIn: { settings: selfCheckInSettings(orm), presence: d.presence, now },
    access: { store: accessStore(orm), announce: d.onRevoked, userChanged, sessions: d.sessions, now, afterAnswer },
    signIn: d.signIn ? { store: signInRequestStore(orm), ...d.signIn, announce: d.onRevoked, readAudit, now, afterAnswer } : undefined,
  };
}

export function createRequests(d: RequestsDeps): RequestDispatch {
  return createRequestDispatch({
    ports: requestPorts(d),
    access: d.access,
    userExists: async (userId) => (await d.orm.em.fork().count(UserEntity, { id: userId })) > 0,
  });
}
