/**
 * Issue 15 (cold room): the gym's first class room on a node answers joins before the gym's resident members are in
 * memory — it reads who its members are, and their standings beside that — and decides nothing until it has them.
 * Before, the first join waited for the whole gym's load (every member, one bulk read): the cold room's p99.
 * One node's registry over the real stores, its resident standings held back by a gate the test opens.
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

describe("a class room that loads before its gym's members", () => {
  const t = withMigratedGym(pg, { capacity: 1, members: 3, beforeClose: (db) => settleAnchors(db.orm) });

  /** One node: its own registry and resident standings, whose gym loads wait for `gate` when given. */
  const aNode = (gate?: Promise<void>) => {
    const now = () => Date.now();
    const deps = { orm: t.db.orm, nodeId: `node-${randomUUID()}`, now, idempotencyWindowMs: 60_000 };
    const source = standingsSource(t.db.orm);
    const held: StandingsSource = gate ? { ...source, loadGym: (gymId, since) => gate.then(() => source.loadGym(gymId, since)) } : source;
    const resident = new ResidentStandings(held, now, 60_000, 0);
    const registry = new RoomRegistry(
      testRuntime(now, randomUUID),
      {
        classes: classStore(deps),
        gyms: gymStore(deps, async () => null),
        users: userStore(deps),
        resident: { resident, userOfCode: () => null },
      },
      60_000,
    );
    const send = (room: RoomId, i: number, type: string, extra: object = {}) => {
      const caller: Caller = { userId: t.gym.members[i]!.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
      return registry.send(room, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type,
        payload: { sessionId: t.gym.sessionId, ...extra },
        receivedAt: now(),
      });
    };
    return { registry, resident, send };
  };

  it("shows its roster while the gym's members load, and promotes the waitlisted member on the standings read after", async () => {
    const room = `class:${t.gym.sessionId}` as RoomId;
    // Another node books the one spot and waitlists the second member.
    const seed = aNode();
    expect(await seed.send(room, 0, "class:book")).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(await seed.send(room, 1, "class:book", { waitlist: true })).toMatchObject({ ok: true, result: { status: "waitlisted" } });
    await seed.registry.close();
    seed.resident.close();

    let open!: () => void;
    const node = aNode(new Promise<void>((r) => (open = r)));
    // The gym's members have not loaded (the gate is shut), yet the room starts and answers a staff join.
    await node.registry.get(room).start();
    expect(node.resident.isLoaded(t.gym.gymId)).toBe(false);
    const joined = node.registry.get(room).join("staff");
    const view = (joined as { snapshot: StaffClassView }).snapshot;
    expect(Object.values(view.roster).map((r) => [r.name, r.status])).toEqual([[t.gym.members[0]!.name, "booked"]]);
    expect(Object.values(view.waitlist).map((w) => [w.name, w.status ?? "waiting"])).toEqual([[t.gym.members[1]!.name, "waiting"]]);

    // A cancel is decided once the members are in memory: the waitlisted member's standing is known, so they get the spot
    // (decided on the roster alone, the room would skip them as an unknown member).
    const cancel = node.send(room, 0, "class:cancelBooking");
    open();
    expect(await cancel).toMatchObject({ ok: true });
    const after = (node.registry.get(room).join("staff") as { snapshot: StaffClassView }).snapshot;
    const booked = Object.values(after.roster).filter((r) => r.status === "booked");
    expect(booked.map((r) => [r.memberId, r.promotedFromWaitlist])).toEqual([[t.gym.members[1]!.id, true]]);
    await node.registry.close();
    node.resident.close();
  });
});
