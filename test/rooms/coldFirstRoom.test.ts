/**
 * A gym's first class room answers its first join without waiting for the gym's whole resident copy: while the
 * gym's members still load, the room reads its own members' standings (one statement). The cold-room bench's
 * slowest first join was the gym's first room waiting for every member and booking of the gym to load.
 * One node's registry over the real stores on PostgreSQL; the gym's resident load is held back by the test.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { StaffClassView } from "../../domain/views/classView.js";
import type { Caller } from "../../rooms/ports.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { settleAnchors } from "../../server/audit/anchors.js";
import { classStore } from "../../server/persistence/classStore.js";
import { gymStore } from "../../server/persistence/gymStore.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { userStore } from "../../server/persistence/userStore.js";
import { testRuntime } from "../support/roomRuntime.js";
import { requirePostgres } from "../support/services.js";
import { withMigratedGym } from "../support/migratedGym.js";

const pg = await requirePostgres();

describe.skipIf(!pg.ok)("the gym's first class room", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 2, beforeClose: (db) => settleAnchors(db.orm) });

  it("answers its first join with its members' names while the gym's resident copy is still loading", async () => {
    const deps = { orm: t.db.orm, nodeId: "cold-first", now: Date.now, idempotencyWindowMs: 60_000 };
    const plain = classStore(deps);
    const room = `class:${t.gym.sessionId}` as RoomId;
    // The member books first, through a node without resident standings.
    const caller: Caller = { userId: t.gym.members[0]!.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
    const first = new RoomRegistry({ ...testRuntime(Date.now, randomUUID) }, { classes: plain, gyms: gymStore(deps, async () => null), users: userStore(deps) }, 60_000);
    expect(await first.send(room, { kind: "command", caller, commandId: randomUUID(), type: "class:book", payload: { sessionId: t.gym.sessionId }, receivedAt: Date.now() })).toMatchObject({ ok: true });
    await first.close();

    // Another node, whose resident load of the gym does not finish until the test lets it.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const source = standingsSource(t.db.orm);
    const held = { ...source, loadGym: async (...args: Parameters<typeof source.loadGym>) => (await gate, source.loadGym(...args)) };
    const resident = new ResidentStandings(held, Date.now, 60_000, 0);
    const registry = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      { classes: plain, gyms: gymStore(deps, async () => null), users: userStore(deps), resident: { resident, userOfCode: () => null } },
      60_000,
    );
    resident.warm(t.gym.gymId);
    const actor = registry.get(room);
    const started = await Promise.race([actor.start().then(() => "started"), new Promise((r) => setTimeout(() => r("still waiting"), 3_000))]);
    expect(started).toBe("started");
    expect(resident.isLoaded(t.gym.gymId)).toBe(false);
    const joined = actor.join("staff") as { snapshot: StaffClassView };
    expect(JSON.stringify(joined.snapshot)).toContain(t.gym.members[0]!.name);
    release();
    await registry.close();
    resident.close();
  });
});
