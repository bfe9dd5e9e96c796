/**
 * The composition root's requests half: the adapters of every port the use cases behind the dispatch table need
 * (`server/realtime/requestTable.ts`), and the dispatch the socket protocol calls.
 */
import { createHash, randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { AdminPorts, StandingNotifier } from "../app/admin/ports.js";
import type { Revocation } from "../app/access/ports.js";
import type { Invitations } from "../app/signin/invitations.js";
import type { InvitationStore } from "../app/signin/ports.js";
import type { Sessions } from "../app/signin/sessions.js";
import { DomainError } from "../domain/errors.js";
import type { DailyVolumeLimits } from "../domain/workouts/dailyVolume.js";
import type { ResidentStandings } from "../rooms/residentStandings.js";
import type { RoomRegistry } from "../rooms/RoomRegistry.js";
import type { RoomRouter } from "../rooms/RoomRouter.js";
import type { ReadAudit } from "./audit/readAudit.js";
import type { PresenceCodes } from "./checkin/presenceCodes.js";
import { UserEntity } from "./db/entities/index.js";
import { accessStore } from "./persistence/accessStore.js";
import { adminStore } from "./persistence/adminStore.js";
import { memberStanding } from "../app/admin/account.js";
import { deskReads } from "./persistence/deskReads.js";
import { deskSnapshotReads } from "./persistence/deskSnapshotReads.js";
import { feedRequestStore } from "./persistence/feedRequestStore.js";
import { inboxRequestStore } from "./persistence/inboxRequestStore.js";
import { leadsChanged } from "./persistence/leadSink.js";
import { leadStore } from "./persistence/leadStore.js";
import { reportStore } from "./persistence/reportStore.js";
import { segmentStore } from "./persistence/segmentStore.js";
import { meStore } from "./persistence/meStore.js";
import { privacyRequestStore } from "./persistence/privacyRequestStore.js";
import { selfCheckInSettings } from "./persistence/selfCheckInSettings.js";
import { signInRequestStore } from "./persistence/signInRequestStore.js";
import { trainingRequestStore } from "./persistence/trainingRequestStore.js";
import type { StandingNotes } from "./cluster/standingNotes.js";
import type { AccessControl } from "./realtime/access.js";
import { classCommands } from "./realtime/classCommands.js";
import { classEdits } from "./realtime/classEdits.js";
import { setupStore } from "./persistence/setupStore.js";
import type { MemberCodes } from "./realtime/memberCodes.js";
import { createRequestDispatch, type RequestDispatch } from "./realtime/requestDispatch.js";
import type { RequestPorts } from "./realtime/requestTable.js";
import type { NoticeSender } from "../app/notices/ports.js";

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
  /** This node's rooms: standings to invalidate, rooms to tell (a policy, a freeze's cancellations) and to reload. */
  rooms: { registry: RoomRegistry; router: RoomRouter; resident: ResidentStandings; notes: StandingNotes };
  /** Other nodes reload their rooms that mention this id (an anonymized member, a gym whose time zone changed), through the Redis adapter. */
  reloadElsewhere?: (id: string) => void;
  /** What one member may log in 24 hours (default `DefaultDailyVolumeLimits`). */
  workoutLimits?: DailyVolumeLimits;
  /** Access or tokens were revoked (committed): every node applies it. */
  onRevoked: (r: Revocation) => Promise<void>;
  /** Sign-in's sessions and invitations (absent when the node has no signing secret): "sign out everywhere" ends every
   * session, and the `user:sessions` / `gym:invite` … requests exist only with them. */
  /** The node's VAPID public key (null: no push on this server). */
  vapidPublicKey?: string | null;
  /** Notices to people; use cases send them inside their own transactions (issue 20). */
  notices: NoticeSender;
  signIn?: { sessions: Sessions; invitations: Invitations; invitationStore: InvitationStore } | undefined;
}

/** SHA-256 of a text (hex): what a waiver signature points at. */
export const hashText = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** The gym room, where it is live on this node, tells its desks about a member. */
const deskHearing = (rooms: Pick<RequestsDeps["rooms"], "registry">) => (gymId: string, memberId: string) =>
  rooms.registry.tell(`gym:${gymId}`, { kind: "note", note: { type: "member", memberId } });

/**
 * How a change to members reaches the live rooms: standings of the members changed are read again on every node; the
 * gym room hears of a new policy. The gym room, where it is live, tells its desks (a freeze reaches a desk's saved
 * member list without a re-fetch). Requests and jobs (a freeze that ended) tell the rooms through it alike.
 */
export function standingNotifier(rooms: Pick<RequestsDeps["rooms"], "registry" | "router" | "notes">): StandingNotifier {
  const deskHears = deskHearing(rooms);
  return {
    memberChanged: (gymId, memberId) => {
      rooms.notes.invalidateMember(gymId, memberId);
      deskHears(gymId, memberId);
      // The member's own room, wherever it is live: their "Me" screen reads the account again (a freeze shows at once).
      rooms.registry.tell(`user:${memberId}`, { kind: "note", note: { type: "account", gymId } });
    },
    userChanged: (userId) => rooms.notes.invalidateUser(userId),
    policyChanged: async (gymId, policy) => {
      // Open class rooms on every node charge the new fees from now on (issue 18); the gym room schedules with the rest.
      const { currency, lateCancelFeeCents, noShowFeeCents } = policy;
      rooms.notes.feesChanged(gymId, { currency, lateCancelFeeCents, noShowFeeCents });
      await rooms.router.send(`gym:${gymId}`, { kind: "note", note: { type: "policy", policy } });
    },
    gymChanged: (gymId) => rooms.notes.invalidateGym(gymId),
  };
}

/** The adapters behind the table's ports. */
export function requestPorts(d: RequestsDeps): RequestPorts {
  const { orm, now, readAudit, rooms } = d;
  const notes = standingNotifier(rooms);
  const deskHears = deskHearing(rooms);
  const userChanged = (userId: string) => rooms.notes.invalidateUser(userId);
  // Rooms on every node whose state mentions `text` load again; their watchers rejoin for a fresh snapshot.
  const reloadEverywhere = (text: string) => {
    rooms.registry.reloadRoomsMentioning(text);
    d.reloadElsewhere?.(text);
  };
  const anonymized = (memberId: string) => {
    rooms.notes.invalidateUser(memberId);
    reloadEverywhere(memberId);
  };
  const afterAnswer = (run: () => void) => void setImmediate(run);
  const classes = classCommands({ access: d.access, router: rooms.router, now });
  const accessChanged = (gymId: string, userId: string) => d.onRevoked({ userId, gymId, validAfter: null, deleted: false });
  const admin: AdminPorts = {
    store: adminStore(orm),
    notes,
    classes,
    desk: classes,
    newId: randomUUID,
    hashText,
    notices: d.notices,
    accessChanged,
  };
  return {
    feed: { store: feedRequestStore(orm, d.notices), readAudit, now },
    training: {
      store: trainingRequestStore(orm, d.notices),
      membership: {
        check: async (userId, gymId) => {
          // The same rule as the gym room: another gym (or none) is NOT_FOUND, a cancelled membership FORBIDDEN.
          const access = await d.access.check(userId, `gym:${gymId}`);
          return access.ok ? null : new DomainError(access.code, access.message);
        },
      },
      now,
      workoutLimits: d.workoutLimits,
      memberChanged: notes.memberChanged,
    },
    admin: { ...admin, readAudit, now },
    me: {
      store: meStore(orm),
      standing: (gymId, userId) => memberStanding(admin, gymId, userId),
      codes: d.codes,
      now,
      publicUrl: d.publicUrl,
      userChanged,
    },
    desk: { reads: deskReads(orm, rooms.resident), readAudit, now },
    snapshot: {
      reads: deskSnapshotReads(orm),
      codeKeys: (at) => d.codes.publicKeys(at).keys.map((k) => ({ kid: String(k.kid), x: String(k.x) })),
      readAudit,
      now,
    },
    privacy: { store: privacyRequestStore(orm), now, userChanged, anonymized, announce: d.onRevoked },
    checkIn: { settings: selfCheckInSettings(orm), presence: d.presence, now },
    access: { store: accessStore(orm), announce: d.onRevoked, userChanged, deskHears, sessions: d.signIn?.sessions, now, afterAnswer },
    leads: { store: leadStore(orm), changed: (gymId) => leadsChanged(orm, gymId), newId: randomUUID, readAudit, now },
    segments: { store: segmentStore(orm), newId: randomUUID, admin, readAudit, now },
    reports: { store: reportStore(orm), readAudit, now },
    inbox: { store: inboxRequestStore(orm), vapidPublicKey: d.vapidPublicKey ?? null, readAudit, now, newId: randomUUID },
    setup: {
      store: setupStore(orm),
      live: {
        catalogChanged: async (gymId, change) =>
          void (await rooms.router.send(`gym:${gymId}`, { kind: "note", note: { type: "catalog", change } })),
        policyChanged: notes.policyChanged,
        // Rare (a gym moves, or fixes a wrong zone): the gym's standings and its live rooms start again from the database.
        timeZoneChanged: async (gymId) => {
          notes.gymChanged(gymId);
          reloadEverywhere(gymId);
        },
      },
      classes: classEdits({ access: d.access, router: rooms.router, now }),
      newId: randomUUID,
      now,
    },
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
