import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { ClassStateEvent } from "../../domain/class/index.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { stateEvents, storedNotices, type ClassStore, type LoadedMember } from "../../rooms/ClassRoom.js";
import { classMemberIds } from "../../rooms/classPorts.js";
import type { InboxNotice } from "../../domain/notices/inbox.js";
import { noticeInsert } from "./noticeRows.js";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import { GymEntity } from "../db/entities/index.js";
import { anchorLater } from "../audit/anchors.js";
import { classAuditRows } from "../audit/commitAudit.js";
import { CommitRefused, commitRoom, type RoomRecords } from "./roomRecords.js";
import { classChanges } from "./classChanges.js";
import { unitOfWorkUsed } from "./changeSetStatement.js";
import { classSnapshots } from "./classSnapshot.js";
import { classPeople, fromResident, standings } from "./classMembers.js";
import { StandingConflict } from "../../rooms/ports.js";
import { WeeklyLimitConflict } from "./standingGuards.js";
import { applySoon, outboxInsert } from "./outbox.js";
import { trainingEffects } from "./trainingHooks.js";

/** What the training effects need of the state the batch started from. */
const trainingBase = (base: ClassRoomState) => ({
  gymId: base.cls.session.gymId,
  timeZone: base.cls.timeZone,
  attendance: base.cls.attendance,
  resultIds: new Set(base.cls.board.results.map((r) => r.id)),
  workoutTitle: base.cls.board.workout?.title ?? null,
});

/** Thrown when a member's credits changed under the room (another class used them): the batch is refused and the room reloads. */
export class CreditsConflict extends StandingConflict {}

export interface StoreDeps {
  orm: MikroORM;
  nodeId: string;
  now: () => number;
  idempotencyWindowMs: number;
  /** A commit's side effects failed to apply right after it (the outbox sweep applies them later). */
  onSideEffectError?: (err: unknown) => void;
  /** Notices were committed (the delivery outbox sends them now; its sweep retries what this misses). */
  onNotices?: (notices: readonly InboxNotice[]) => void;
  /** Leave side effects to the outbox sweep instead of applying them after each commit (as a node that dies right after its commit would; tests). */
  sweepOnly?: boolean;
}

/** After a commit with an outbox row: apply it now, in the background (unless the sweep is to). */
export function afterCommit(deps: StoreDeps, outbox: { id: string } | null): void {
  if (outbox && !deps.sweepOnly) applySoon(deps.orm, outbox.id, deps.onSideEffectError);
}

/**
 * {@link classChanges} on `builder`, a fork shared by every commit (nothing awaits in between): left cleared after each
 * (most batches put nothing into its unit of work, and then there is nothing to clear).
 */
export const classChangesOn =
  (builder: EntityManager) =>
  (base: ClassRoomState, events: ClassStateEvent[], now: number): ReturnType<typeof classChanges> => {
    if (unitOfWorkUsed(builder)) builder.clear();
    try {
      return classChanges(builder, base, events, now);
    } finally {
      if (unitOfWorkUsed(builder)) builder.clear();
    }
  };

type CommitArgs = Parameters<ClassStore["commitClass"]>;

/**
 * A class commit's statement (its records: version check, answered commands, audit rows, entity changes, guards),
 * the outbox row it writes and the notices it stores — built synchronously, nothing sent yet. `changesOf` turns the
 * batch's events into statement parts (`classChanges` on the store's builder fork).
 */
export function classCommitRecords(
  nodeId: string,
  changesOf: ReturnType<typeof classChangesOn>,
  room: CommitArgs[0],
  base: ClassRoomState,
  changes: CommitArgs[2],
  processed: CommitArgs[3],
  mark: CommitArgs[4],
  now: number,
): { records: RoomRecords; outbox: { id: string } | null; notices: InboxNotice[] } {
  const events = stateEvents(changes);
  const notices = storedNotices(changes);
  const audit = classAuditRows(room, mark.audit, base.cls, events, processed, now);
  // ONE statement, one round trip: the room's own records (version check, answered commands, audit rows),
  // every entity change (from the unit of work's change sets), the credit and weekly guards, the outbox row.
  // No lock shared with other rooms. Streaks, milestones, XP, challenges and boards: the outbox row, applied right after.
  const effects = trainingEffects(trainingBase(base), events, now);
  const outbox = effects ? outboxInsert(room, effects) : null;
  const { writes, guards } = changesOf(base, events, now);
  const all = [...writes, ...(outbox ? [{ name: "outbox", ...outbox }] : []), ...(notices.length > 0 ? [noticeInsert(notices, now)] : [])];
  return { records: { room, mark, nodeId, now, processed, audit, writes: all, guards }, outbox, notices };
}

/** Class rooms over MikroORM: each commit is one unit of work in one transaction, compare-and-setting the room's version. */
export function classStore(deps: StoreDeps): ClassStore {
  const { orm } = deps;
  const snapshotOf = classSnapshots(orm, () => deps.now() - deps.idempotencyWindowMs);
  /**
   * One fork for every room's commit statement: a batch's unit of work is built, turned into statement parts and
   * cleared synchronously (nothing awaits in between, so two rooms never share its contents), and a fork per commit
   * was a sixth of the statement's building cost. The statement then runs on the pool like any other.
   */
  const builder = orm.em.fork();
  const changesOf = classChangesOn(builder);
  return {
    async loadClass(room, sessionId, resident) {
      // One read, no write (shared with rooms loading at the same time): a previous owner's commit that lands after
      // it moves the version, and this room's first commit (a compare-and-set of the version read here) then fails
      // and decides again. When the gym's members may not be in memory, the read also brings who the members are.
      const snapshot = await snapshotOf(room, sessionId, resident !== undefined && !resident.knows(sessionId));
      if (!snapshot) return null;
      const { session, mark, gym, type, location, roomName, bookings, waitlist, fees, checkIns, attendance, workout, results } = snapshot;
      const ids = classMemberIds({ bookings, waitlist, session });
      // Members' standings from the gym's resident copy when the node keeps one (memory), else in one statement.
      // The gym's first room does not wait for the whole gym to load: it reads who its members are (its roster
      // answers joins at once) and the room reads their standings from the copy before its first decision.
      const pending = resident !== undefined && !resident.ready(session.gymId);
      const { standings: members, people } = pending
        ? { standings: {}, people: snapshot.people ?? (await classPeople(orm.em.fork(), session.gymId, ids)) }
        : resident
          ? await fromResident(resident, session, ids)
          : await standings(orm.em.fork(), session, gym.timeZone, ids, gym.policy);
      const coach = session.coachId ? (people[session.coachId]?.name ?? null) : null;
      // The snapshot's rows are fresh plain objects (plainRow), this room's own: no copy.
      return {
        ...mark,
        ...(pending ? { incomplete: true as const } : {}),
        state: {
          cls: {
            session,
            timeZone: gym.timeZone,
            ...(type ? { classTypeName: type.name } : {}),
            feePolicy: {
              currency: gym.policy.currency,
              lateCancelFeeCents: gym.policy.lateCancelFeeCents,
              noShowFeeCents: gym.policy.noShowFeeCents,
            },
            bookings,
            waitlist,
            members,
            fees,
            checkIns,
            attendance,
            board: { workout, results },
          },
          labels: {
            className: type?.name ?? "Class",
            color: type?.color ?? "#888888",
            locationName: location?.name ?? "",
            coachName: coach,
            roomName,
          },
          people,
        },
      };
    },

    async loadMembers(session, memberIds) {
      const em = orm.em.fork();
      const found = new Map<string, LoadedMember>();
      // Only UUIDs can name a member; anything else is nobody (and must not reach PostgreSQL as a uuid).
      const ids = memberIds.filter((id) => UuidSchema.safeParse(id).success);
      if (ids.length === 0) return found;
      const gym = await em.findOne(GymEntity, { id: session.gymId });
      if (!gym) return found;
      const { standings: s, people } = await standings(em, session, gym.timeZone, ids, gym.policy);
      for (const id of ids) {
        const standing = s[id];
        const p = people[id];
        if (standing && p) found.set(id, { standing, person: p });
      }
      return found;
    },

    async commitClass(room, base, changes, processed, mark) {
      const now = deps.now();
      const { records, outbox, notices } = classCommitRecords(deps.nodeId, changesOf, room, base, changes, processed, mark, now);
      let next;
      try {
        const { collected: _none, ...committed } = await commitRoom(builder, records);
        next = committed;
      } catch (err) {
        if (!(err instanceof CommitRefused)) throw err;
        const gymId = base.cls.session.gymId;
        if (err.kind === "weekly")
          throw new WeeklyLimitConflict(gymId, err.memberIds, `weekly limit of ${err.memberIds.join(",")} reached concurrently`);
        throw new CreditsConflict(gymId, err.memberIds, `credits of ${err.memberIds.join(", ")} changed concurrently`);
      }
      anchorLater(orm, base.cls.session.gymId, room, next.audit);
      afterCommit(deps, outbox);
      if (notices.length > 0) deps.onNotices?.(notices);
      return next;
    },
  };
}
