/**
 * A class room's first commits in a process, paid before the node serves: the commit-building code (events → change
 * sets → statement parts, audit rows and their hashes, training effects, array literals, the statement text) ran
 * unoptimised the first time, and each kept pool connection parsed and planned the commit statement and loaded the
 * catalog of the tables it writes (foreign keys, indexes, triggers) inside a member's first cancel (~40 ms, against
 * ~6 ms for the tenth). Here the real code builds synthetic commits (a booking, a cancel that promotes a waiting
 * member, a check-in) in memory, and each connection runs each statement with a version that cannot hold: below 0,
 * so the statement proposes no row to `room_fence` and every part of it writes nothing (see `commitRoom`).
 */
import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import {
  bookSpot,
  cancelBooking,
  checkInToClass,
  type ClassEvent,
  type ClassState,
  type ClassStateEvent,
  type Decision,
  type Outcome,
} from "../../domain/class/index.js";
import type { CommandContext, MemberStanding } from "../../domain/class/state.js";
import { DomainError } from "../../domain/errors.js";
import { DefaultGymPolicy } from "../../domain/policy.js";
import { policyFields, scheduledSession } from "../../domain/schedule/generateSessions.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { emptyBoard } from "../../domain/workouts/classBoard.js";
import { GENESIS_HASH } from "../../domain/audit/chain.js";
import { VersionConflict, type ProcessedRecord } from "../../rooms/ports.js";
import { classChangesOn, classCommitRecords } from "./classStore.js";
import { commitRoom, type RoomRecords } from "./roomRecords.js";

const MINUTE = 60_000;
/** Builds of each synthetic commit in memory: the first compiles the builder, the rest let V8 tier up its hot functions (~50 ms of CPU here). */
export const WARM_BUILDS = 60;

/** One synthetic class commit: the arguments a room hands to `commitClass`. */
interface Synthetic {
  room: RoomId;
  base: ClassRoomState;
  events: ClassStateEvent[];
  processed: ProcessedRecord[];
}

const stateOnly = (events: ClassEvent[]) => events.filter((e) => !e.type.startsWith("notify.")) as ClassStateEvent[];

/** A member in good standing (unlimited plan) of the synthetic gym `gymId`: no row of it exists anywhere. */
export const syntheticStanding = (gymId: string, memberId: string): MemberStanding => ({
  memberId,
  gymId,
  role: "member",
  status: "active",
  entitlement: { kind: "unlimited" },
  credits: null,
  creditsExpireAt: null,
  bookingsThisWeek: 0,
});

/** An empty class of `capacity` spots at `startsAt` of the synthetic gym `gymId` (the default policy), `members` in good standing. */
export function syntheticClass(gymId: string, members: readonly string[], startsAt: number, capacity = 2): ClassState {
  const p = DefaultGymPolicy;
  return {
    session: scheduledSession(
      randomUUID(),
      {
        gymId,
        locationId: randomUUID(),
        classTypeId: randomUUID(),
        coachId: null,
        scheduleId: null,
        roomId: null,
        capacity,
        durationMinutes: 60,
      },
      startsAt,
      policyFields(p, "automatic"),
    ),
    timeZone: "Europe/Berlin",
    feePolicy: { currency: p.currency, lateCancelFeeCents: p.lateCancelFeeCents, noShowFeeCents: p.noShowFeeCents },
    bookings: [],
    waitlist: [],
    members: Object.fromEntries(members.map((m) => [m, syntheticStanding(gymId, m)])),
    fees: [],
    checkIns: [],
    attendance: [],
    board: emptyBoard,
  };
}

/** A booking, a cancel that promotes the first waiting member, and a desk check-in, decided by the domain at `now`. */
export function syntheticCommits(now: number): Synthetic[] {
  const gymId = randomUUID();
  const members = Array.from({ length: 4 }, () => randomUUID());
  const classAt = (startsAt: number) => syntheticClass(gymId, members, startsAt);
  const ctx = (userId: string, role: "member" | "front_desk" = "member"): CommandContext => ({
    now,
    newId: randomUUID,
    actor: { userId, role, gymId },
  });
  const decided = <R>(outcome: Outcome<R>): Decision<R> => {
    if (outcome instanceof DomainError) throw new Error(`commit warm-up: ${outcome.code}`);
    return outcome;
  };
  const bookAll = (state: ClassState) => members.reduce((s, m) => decided(bookSpot(s, { waitlist: true }, ctx(m))).state, state);
  const later = classAt(now + 2 * 24 * 60 * MINUTE);
  const soon = bookAll(classAt(now + 10 * MINUTE));
  const full = bookAll(later);
  const desk = randomUUID();
  const synthetic = (state: ClassState, type: string, userId: string, events: ClassEvent[], result: unknown): Synthetic => {
    const room: RoomId = `class:${state.session.id}`;
    return {
      room,
      base: { cls: state, labels: { className: "Class", color: "#888888", locationName: "", coachName: null, roomName: null }, people: {} },
      events: stateOnly(events),
      processed: [{ room, userId, commandId: randomUUID(), gymId, type, response: { ok: true, result }, createdAt: now }],
    };
  };
  const book = decided(bookSpot(later, { waitlist: true }, ctx(members[0]!)));
  const cancel = decided(cancelBooking(full, {}, ctx(members[0]!)));
  const checkIn = decided(
    checkInToClass(soon, { sessionId: soon.session.id, memberId: members[1]!, source: "desk" }, ctx(desk, "front_desk")),
  );
  return [
    synthetic(later, "class:book", members[0]!, book.events, book.result),
    synthetic(full, "class:cancelBooking", members[0]!, cancel.events, cancel.result),
    synthetic(soon, "class:checkIn", desk, checkIn.events, checkIn.result),
  ];
}

/** `commits`' records as a room at `version` builds them (the real builder on `builder`, a fork of its own). */
function recordsOf(builder: EntityManager, commits: readonly Synthetic[], version: number, now: number): RoomRecords[] {
  const changesOf = classChangesOn(builder);
  return commits.map(
    (c) =>
      classCommitRecords(
        "warm-up",
        changesOf,
        c.room,
        c.base,
        c.events,
        c.processed,
        { version, audit: { seq: 0, hash: GENESIS_HASH } },
        now,
      ).records,
  );
}

/**
 * Builds the synthetic commits {@link WARM_BUILDS} times each, the statement handed to a stub that answers at once
 * (CPU only); then, unless `connections` is 0 (PGlite: one in-process connection, nothing to plan per backend), runs
 * each statement once on `connections` pool connections at a time with version -1, which writes nothing. Returns
 * how many statements went to the database.
 */
export async function warmCommits(orm: MikroORM, connections: number, now = Date.now()): Promise<number> {
  const commits = syntheticCommits(now);
  const builder = orm.em.fork();
  const stub = {
    getConnection: () => ({ execute: async () => [{ fence: 1 }] }),
    getTransactionContext: () => undefined,
  } as unknown as EntityManager;
  for (let i = 0; i < WARM_BUILDS; i++) for (const records of recordsOf(builder, commits, i, now)) await commitRoom(stub, records);
  let sent = 0;
  for (const records of recordsOf(builder, commits, -1, now))
    await Promise.all(
      Array.from({ length: connections }, async () => {
        sent += 1;
        // No row proposed, so none held: the room's "version moved" answer is the expected one.
        await commitRoom(orm.em.fork(), records).catch((err: unknown) => {
          if (!(err instanceof VersionConflict)) throw err;
        });
      }),
    );
  return sent;
}
