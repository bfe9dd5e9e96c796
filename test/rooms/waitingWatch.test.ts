/**
 * Issue 15 (promotion p99): a class room with the gym's members resident decides a cancel that promotes from memory —
 * the resident standings tell it when a waiting member changes, instead of it reading everyone waiting on every
 * cancel. Regression kept: a member frozen while waiting is skipped (they were promoted on the room's stale copy).
 * One node's registry over the real stores; its standings source counts the reads it makes.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { StaffClassView } from "../../domain/views/classView.js";
import type { Caller } from "../../rooms/ports.js";
import type { StandingsSource } from "../../rooms/residentMember.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { settleAnchors } from "../../server/audit/anchors.js";
import { classStore } from "../../server/persistence/classStore.js";
import { gymStore } from "../../server/persistence/gymStore.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { userStore } from "../../server/persistence/userStore.js";
import { testRuntime } from "../support/roomRuntime.js";
import { postgresOrPglite } from "../support/services.js";
import { withMigratedGym } from "../support/migratedGym.js";

const pg = await postgresOrPglite();

describe("a class room told of its waiting members' changes", () => {
  const t = withMigratedGym(pg, { capacity: 1, members: 4, beforeClose: (db) => settleAnchors(db.orm) });

  /** One node: its registry and resident standings; `reads` counts the standings it reads from the database. */
  const aNode = () => {
    const now = () => Date.now();
    const deps = { orm: t.db.orm, nodeId: `node-${randomUUID()}`, now, idempotencyWindowMs: 60_000 };
    const source = standingsSource(t.db.orm);
    const reads = { gyms: 0, members: 0, copies: 0 };
    const counted: StandingsSource = {
      ...source,
      loadGym: (gymId, since) => {
        reads.gyms += 1;
        return source.loadGym(gymId, since);
      },
      loadMembers: (gymId, ids, since) => {
        reads.members += 1;
        return source.loadMembers(gymId, ids, since);
      },
    };
    const resident = new ResidentStandings(counted, now, 60_000, 0);
    // Copies read from memory too: before, every cancel read the copy of everyone waiting.
    const copy = resident.standing.bind(resident);
    resident.standing = (session, userId) => {
      reads.copies += 1;
      return copy(session, userId);
    };
    const classes = classStore(deps);
    const store: typeof classes = {
      ...classes,
      loadMembers: (session, ids) => {
        reads.members += 1;
        return classes.loadMembers(session, ids);
      },
    };
    const registry = new RoomRegistry(
      testRuntime(now, randomUUID),
      { classes: store, gyms: gymStore(deps, async () => null), users: userStore(deps), resident: { resident, userOfCode: () => null } },
      60_000,
    );
    const send = (room: RoomId, i: number, type: string, payload: object) => {
      const caller: Caller = { userId: t.gym.members[i]!.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
      return registry.send(room, { kind: "command", caller, commandId: randomUUID(), type, payload, receivedAt: now() });
    };
    const booked = (room: RoomId) =>
      Object.values((registry.get(room).join("staff") as { snapshot: StaffClassView }).snapshot.roster)
        .filter((r) => r.status === "booked")
        .map((r) => r.memberId);
    return { registry, resident, reads, send, booked };
  };

  /** A class of one spot: member 0 booked, members 1, 2 and 3 waiting in that order. */
  const aFullClass = async (node: ReturnType<typeof aNode>) => {
    const s = await t.gym.addSession({ capacity: 1 });
    const room = `class:${s.id}` as RoomId;
    const payload = { sessionId: s.id };
    expect(await node.send(room, 0, "class:book", payload)).toMatchObject({ ok: true, result: { status: "booked" } });
    for (const i of [1, 2, 3])
      expect(await node.send(room, i, "class:book", { ...payload, waitlist: true })).toMatchObject({
        ok: true,
        result: { status: "waitlisted" },
      });
    return { room, payload };
  };

  it("promotes the first waiting member on a cancel without reading anyone's standing, from the database or the copies", async () => {
    const node = aNode();
    const { room, payload } = await aFullClass(node);
    const before = { ...node.reads };
    expect(await node.send(room, 0, "class:cancelBooking", payload)).toMatchObject({ ok: true });
    expect(node.booked(room)).toEqual([t.gym.members[1]!.id]);
    expect(node.reads).toEqual(before);
    await node.registry.close();
    node.resident.close();
  });

  it("skips a member frozen while waiting (told by the resident standings) and promotes the next in line", async () => {
    const node = aNode();
    const { room, payload } = await aFullClass(node);
    const frozen = t.gym.members[1]!.id;
    await t.db.orm.em
      .fork()
      .getConnection()
      .execute(`update gym_membership set status = 'frozen' where gym_id = ? and user_id = ?`, [t.gym.gymId, frozen]);
    // What every change outside a class commit does after its own commit (server/cluster/standingNotes.ts).
    node.resident.invalidateMember(t.gym.gymId, frozen);
    expect(await node.send(room, 0, "class:cancelBooking", payload)).toMatchObject({ ok: true });
    expect(node.booked(room)).toEqual([t.gym.members[2]!.id]);
    const sql = (q: string, params: unknown[]) => t.db.orm.em.fork().getConnection().execute(q, params);
    expect(
      await sql(`select status, reason from waitlist_entry where session_id = ? and member_id = ?`, [payload.sessionId, frozen]),
    ).toEqual([{ status: "skipped", reason: "MEMBERSHIP_INACTIVE" }]);
    await sql(`update gym_membership set status = 'active' where gym_id = ? and user_id = ?`, [t.gym.gymId, frozen]);
    await node.registry.close();
    node.resident.close();
  });
});
