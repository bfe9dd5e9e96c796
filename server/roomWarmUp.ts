/**
 * The first room work of a process, paid before the node serves (issue 15: the p99 of the bench's promotion, desk and
 * cold-room scenarios was each run's first command of its kind). A fresh process ran each of these unoptimised inside
 * a member's first answer: the access check and its batched reads, a class room's hydrate, projection of its views
 * for a join and their deltas, the decision of a booking, cancel (promoting a waiting member) and check-in, the
 * commit builder, landing the batch (answers, the promoted notice to a `user:` room, notes) and the encoding of
 * answers and deltas. Here the real rooms (`ClassRoom`, `UserRoom`) run on a synthetic gym that exists nowhere: their
 * stores hand out in-memory state and build each commit for a connection that answers at once (nothing is sent to
 * PostgreSQL, nothing is written), their deltas go to channels nobody can watch (a random room id). The access check
 * and the gym's member load read the database for ids that exist nowhere (no rows; reads only). Each round also plays
 * a booking storm's shape (a fresh node's first storm compiled its hot functions during the storm): members of a class
 * nobody watches press "book" at once, through the socket protocol's steps and the node's packet codecs (see
 * `warmRuntime.ts`, `transportWarmUp.ts`), on objects shaped as the node's own (`warmShapes.ts`).
 */
import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import { GENESIS_HASH } from "../domain/audit/chain.js";
import type { Ack, RoomId } from "../domain/protocol/envelope.js";
import type { ClassRoomState } from "../domain/views/classView.js";
import type { UserView } from "../domain/views/userView.js";
import { ClassRoom } from "../rooms/ClassRoom.js";
import type { ClassStore } from "../rooms/classPorts.js";
import type { Broadcaster, Caller, RoomMessage } from "../rooms/ports.js";
import { ResidentStandings } from "../rooms/residentStandings.js";
import { UserRoom, type UserStore } from "../rooms/UserRoom.js";
import { classChangesOn, classCommitRecords } from "./persistence/classStore.js";
import { syntheticClass } from "./persistence/commitWarmUp.js";
import { commitRoom } from "./persistence/roomRecords.js";
import { standingsSource } from "./persistence/standingsSource.js";
import type { AccessControl } from "./realtime/access.js";
import { loadedMembers, loadedShape, residentSource } from "./warmShapes.js";
import { decodeCommands, encodeAcks, transportCodecs } from "./transportWarmUp.js";
import { commandOf, defaultWarmSettings, warmAccess, warmRuntime, type WarmSettings } from "./warmRuntime.js";

/** Rounds of the synthetic scenario (the first compiles, the rest let V8 optimise the hot functions; the budget binds)… */
export const WARM_ROUNDS = 400;
/**
 * …until the process has spent this much CPU on them (its compiler and GC threads included): a node sharing its core
 * (three nodes started at once on one core got 17 rounds each in the wall-time budget, a lone node 51) still starts
 * warm…
 */
export const WARM_BUDGET_MS = 700;
/** …within this many times the budget of wall time at most (a machine busier than that gets fewer rounds, and serves). */
export const WARM_WALL_FACTOR = 3;

/** CPU ms this process has spent since the call (every thread); wall ms where the runtime cannot tell. */
export function cpuSpent(): () => number {
  if (typeof process.cpuUsage !== "function") {
    const t0 = performance.now();
    return () => performance.now() - t0;
  }
  const from = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(from);
    return (used.user + used.system) / 1_000;
  };
}

const MINUTE = 60_000;
/** Members of the crowded class, all pressing "book" at once, and its spots (room for all: every press is booked). */
const CROWD = 12;
const CROWD_CAPACITY = 20;
/** A commit "connection" that answers at once: the statement is built, never sent. */
const nowhere = {
  getConnection: () => ({ execute: async () => [{ fence: 1 }] }),
  getTransactionContext: () => undefined,
} as unknown as EntityManager;

/** Where the rooms' deltas go: the node's own broadcaster (a channel of a random room, watched by nobody) or none. */
export type WarmBroadcast = Pick<Broadcaster, "delta" | "reset">;

/**
 * One round: a class two days ahead (joined by staff and public; two bookings fill it, two members wait, a cancel
 * promotes the first, whose `user:` room gets the notice), a class in ten minutes (two bookings, a desk check-in) and
 * a crowded class nobody watches ({@link CROWD} members book at once: decided in turn, committed in batches). Returns the answers that were not "ok" (none unless the synthetic data no longer fits the domain's rules).
 */
async function oneRound(
  em: EntityManager,
  out: WarmBroadcast | undefined,
  changesOf: ReturnType<typeof classChangesOn>,
  settings: WarmSettings,
  wire: ReturnType<typeof transportCodecs>,
): Promise<string[]> {
  const now = Date.now();
  const gymId = randomUUID();
  const members = Array.from({ length: 4 }, () => randomUUID());
  const crowd = Array.from({ length: CROWD }, () => randomUUID());
  const classes = [
    syntheticClass(gymId, members, now + 2 * 24 * 60 * MINUTE),
    syntheticClass(gymId, members, now + 10 * MINUTE),
    syntheticClass(gymId, crowd, now + 24 * 60 * MINUTE, CROWD_CAPACITY),
  ];
  const store: ClassStore = {
    // As a loaded class of a gym whose members are resident: no bookings yet, standings read as the room decides.
    async loadClass(_room, sessionId) {
      const cls = classes.find((c) => c.session.id === sessionId)!;
      const labels = { className: "Class", color: "#888888", locationName: "", coachName: null, roomName: null };
      const state: ClassRoomState = { cls: loadedShape(em, cls, {}), labels, people: {} };
      // Built as `classStore.loadClass` builds its answer: the room mark (as `readRoomMark` reads it) spread, then the state.
      const mark = { fence: 0, audit: { seq: 0, hash: GENESIS_HASH }, processed: [] };
      return { ...mark, state };
    },
    async loadMembers(session, ids) {
      return loadedMembers(session, ids, "Europe/Berlin");
    },
    async commitClass(room, base, changes, processed, mark) {
      const { records } = classCommitRecords("warm-up", changesOf, room, base, changes, processed, mark, Date.now());
      const { collected: _none, ...next } = await commitRoom(nowhere, records);
      return next;
    },
  };
  const inbox: UserView = { bookings: {}, waitlist: {}, notices: {}, unread: 0 };
  const users: UserStore = {
    loadUser: async () => ({ state: structuredClone(inbox), fence: 0, processed: [] }),
    markRead: async () => undefined,
    pageInbox: async () => [],
    unreadAmong: async () => 0,
  };
  const userRooms = new Map<RoomId, UserRoom>();
  let over = false;
  const told: Promise<unknown>[] = [];
  const crowdId = classes[2]!.session.id;
  const broadcast: WarmBroadcast = out ?? {
    delta: (_channel, delta) => void JSON.stringify(delta),
    reset: (_channel, reset) => void JSON.stringify(reset),
  };
  // Notes to `user:` rooms (the promoted notice, waitlist places) reach this round's own user rooms; others are dropped.
  // Nobody watches the crowded class (as in a storm: members press "book" without watching), staff watch the others.
  const rt = warmRuntime(
    settings,
    broadcast,
    (channel) => !channel.includes(crowdId),
    (room, message) => {
      if (over || !room.startsWith("user:")) return;
      let user = userRooms.get(room);
      if (!user) userRooms.set(room, (user = new UserRoom(room, rt, users, room.slice("user:".length))));
      told.push(user.send(message));
    },
  );
  type Role = NonNullable<Caller["membership"]>["role"];
  const caller = (userId: string, role: Role): Caller => ({ userId, membership: { gymId, role, status: "active" } });
  const command = (who: Caller, type: string, payload: object, commandId = randomUUID()) =>
    ({ kind: "command", caller: who, commandId, type, payload, receivedAt: Date.now() }) as RoomMessage;
  const ask = (room: ClassRoom, userId: string, type: string, payload: object, role: Role = "member"): Promise<Ack<unknown>> =>
    room.send(command(caller(userId, role), type, payload));
  // The gym's members resident as on the node (one read of the synthetic source), which its class rooms and access check hold.
  const ids = classes.map((c) => c.session.id);
  const resident = new ResidentStandings(residentSource(gymId, "Europe/Berlin", [...members, ...crowd], ids), Date.now, 60_000);
  // As the node's cluster notes set it (server/cluster/standingNotes.ts): changes told to no other node here.
  resident.onChanged = () => undefined;
  const [later, soon, full] = classes.map((c) => new ClassRoom(`class:${c.session.id}`, rt, store, c.session.id, resident)) as [
    ClassRoom,
    ClassRoom,
    ClassRoom,
  ];
  const acks: Ack<unknown>[] = [];
  try {
    for (const room of [later, soon, full]) {
      // Loaded as the node's router loads a room beside its lease claim (`RoomRegistry.loadEarly`): held, then released.
      room.hold();
      await room.start();
      room.release();
      JSON.stringify([room.join("staff"), room.join("public")]);
    }
    const sessionId = classes[0]!.session.id;
    for (const [i, m] of members.entries())
      acks.push(await ask(later, m, "class:book", { sessionId, ...(i >= 2 ? { waitlist: true } : {}) }));
    acks.push(await ask(later, members[0]!, "class:cancelBooking", { sessionId }));
    const soonId = classes[1]!.session.id;
    for (const m of members.slice(0, 2)) acks.push(await ask(soon, m, "class:book", { sessionId: soonId }));
    acks.push(await ask(soon, randomUUID(), "class:checkIn", { sessionId: soonId, memberId: members[0], source: "desk" }, "front_desk"));
    // The storm's shape: members of one class press at once, so the room decides them in turn and commits them in batches.
    // As a storm reaches the room: the frames those members send decoded (when the codecs load), each made a command
    // as the socket protocol makes it (envelope, payload schema, an access check whose reads answer from memory, see
    // `warmAccess`: the first ones batched, then known), all sent at once; their answers encoded as acks.
    const access = warmAccess(gymId, resident);
    await Promise.all(crowd.map((m) => access.check(m, full.id)));
    const envelopes = crowd.map(() => ({ commandId: randomUUID(), room: full.id, type: "class:book", payload: { sessionId: crowdId } }));
    const raw = wire ? decodeCommands(wire, envelopes) : envelopes;
    const answers = await Promise.all(
      crowd.map(async (m, i) => {
        const message = await commandOf(access, m, raw[i]);
        return "kind" in message ? full.send(message) : message;
      }),
    );
    if (wire) encodeAcks(wire, answers);
    acks.push(...answers);
    for (const ack of acks) JSON.stringify(ack);
    // What the commits send on after their answers (deltas, notes, the promoted member's notice) runs on the next turns.
    await new Promise((r) => setImmediate(r));
    await Promise.all(told);
    for (const user of userRooms.values()) JSON.stringify(user.join("owner"));
  } finally {
    over = true;
    await Promise.all([later.stop(), soon.stop(), full.stop(), ...[...userRooms.values()].map((u) => u.stop())]);
    resident.close();
  }
  return acks.flatMap((a) => (a.ok ? [] : [a.error.code]));
}

/**
 * Runs the synthetic rooms {@link WARM_ROUNDS} times or until they have cost {@link WARM_BUDGET_MS} of the process's CPU
 * (at most {@link WARM_WALL_FACTOR} times that in wall time; `spent` measures, {@link cpuSpent} by default); then has `access`
 * check a user and a class that exist nowhere (its batched reads; NOT_FOUND) and each of `connections` pool
 * connections read a gym that exists nowhere (the resident members' statement planned). Returns the rounds run;
 * throws when the synthetic commands were refused (the warm-up no longer exercises what it claims).
 */
export async function warmRooms(
  orm: MikroORM,
  o: {
    access?: AccessControl;
    broadcast?: WarmBroadcast;
    connections?: number;
    rounds?: number;
    budgetMs?: number;
    spent?: () => number;
    settings?: WarmSettings;
  } = {},
): Promise<number> {
  const budget = o.budgetMs ?? WARM_BUDGET_MS;
  const spent = o.spent ?? cpuSpent();
  const deadline = performance.now() + WARM_WALL_FACTOR * budget;
  const more = () => spent() < budget && performance.now() < deadline;
  const changesOf = classChangesOn(orm.em.fork());
  const wire = transportCodecs();
  let rounds = 0;
  while (rounds < (o.rounds ?? WARM_ROUNDS) && (rounds === 0 || more())) {
    const refused = await oneRound(orm.em, o.broadcast, changesOf, o.settings ?? defaultWarmSettings, wire);
    if (refused.length > 0) throw new Error(`room warm-up: synthetic commands refused (${refused.join(", ")})`);
    rounds += 1;
  }
  if (o.access) {
    const userId = randomUUID();
    for (let i = 0; i < 3; i++) await o.access.check(userId, `class:${randomUUID()}`);
    await o.access.check(userId, `user:${userId}`);
  }
  const source = standingsSource(orm);
  await Promise.all(Array.from({ length: o.connections ?? 0 }, () => source.loadGym(randomUUID(), Date.now())));
  return rounds;
}
