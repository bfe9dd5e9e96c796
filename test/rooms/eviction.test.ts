/**
 * Idle state leaves memory: class rooms, the gym room and the gym's resident standings are evicted once nobody
 * used them for the idle time (a watched room stays), and come back from the database on next use.
 * One node's registry over the real stores on PostgreSQL, with a clock the test moves.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Caller } from "../../rooms/ports.js";
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
const IDLE_MS = 60_000;

describe("idle rooms and resident standings", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 3, beforeClose: (db) => settleAnchors(db.orm) });

  it("evicts class rooms, the gym room and the gym's standings after the idle time, keeps a watched room, and reloads on next use", async () => {
    const clock = { now: Date.now() };
    const now = () => clock.now;
    const deps = { orm: t.db.orm, nodeId: "eviction", now, idempotencyWindowMs: 60_000 };
    const resident = new ResidentStandings(standingsSource(t.db.orm), now, IDLE_MS);
    const registry = new RoomRegistry(
      { ...testRuntime(now, randomUUID) },
      {
        classes: classStore(deps),
        gyms: gymStore(deps, async () => null),
        users: userStore(deps),
        resident: { resident, userOfCode: () => null },
      },
      IDLE_MS,
    );
    const other = await t.gym.addSession();
    const classRoom = `class:${t.gym.sessionId}` as RoomId;
    const watched = `class:${other.id}` as RoomId;
    const gymRoom = `gym:${t.gym.gymId}` as RoomId;
    const book = (i: number) => {
      const caller: Caller = { userId: t.gym.members[i]!.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
      return registry.send(classRoom, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type: "class:book",
        payload: { sessionId: t.gym.sessionId },
        receivedAt: now(),
      });
    };
    expect(await book(0)).toMatchObject({ ok: true, result: { status: "booked" } });
    await registry.get(gymRoom).start();
    await registry.get(watched).start();
    registry.get(watched).watchers += 1;
    expect(resident.size).toBe(1);

    // Used half the idle time ago: nothing goes.
    clock.now += IDLE_MS / 2;
    await registry.sweep();
    resident.sweep();
    expect(
      registry
        .live()
        .map((r) => r.id)
        .sort(),
    ).toEqual([classRoom, gymRoom, watched].sort());
    expect(resident.size).toBe(1);

    clock.now += IDLE_MS;
    await registry.sweep();
    resident.sweep();
    expect(registry.live().map((r) => r.id)).toEqual([watched]);
    expect(resident.size).toBe(0);

    // Next use loads them again, from what was committed.
    expect(await book(1)).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(registry.peek(classRoom)?.join("public")).toMatchObject({ snapshot: { counts: { booked: 2 } } });
    expect(resident.size).toBe(1);
    await registry.close();
    resident.close();
  }, 60_000);
});
