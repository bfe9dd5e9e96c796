/**
 * A member's room, when it loads (they opened the app), starts the class rooms of their next classes: their first
 * cancel or claim then finds the room in memory instead of paying its load inside the command. Only classes still
 * ahead, only live bookings and open waitlist places, the soonest few. One node's registry over the real stores.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { MyBooking, MyWaitlistPlace, UserView } from "../../domain/views/userView.js";
import type { Caller } from "../../rooms/ports.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { classesToWarm } from "../../rooms/UserRoom.js";
import { settleAnchors } from "../../server/audit/anchors.js";
import { classStore } from "../../server/persistence/classStore.js";
import { gymStore } from "../../server/persistence/gymStore.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { userStore } from "../../server/persistence/userStore.js";
import { testRuntime } from "../support/roomRuntime.js";
import { postgresOrPglite } from "../support/services.js";
import { withMigratedGym } from "../support/migratedGym.js";

const pg = await postgresOrPglite();
const HOUR = 3_600_000;

describe("which classes a member's room warms", () => {
  const now = 1_800_000_000_000;
  const booking = (sessionId: string, startsAt: number, status: MyBooking["status"] = "booked") =>
    ({ bookingId: `b-${sessionId}`, sessionId, startsAt, status }) as MyBooking;
  const place = (sessionId: string, startsAt: number, status: MyWaitlistPlace["status"]) =>
    ({ entryId: `w-${sessionId}`, sessionId, startsAt, status }) as MyWaitlistPlace;
  const view = (bookings: MyBooking[], waitlist: MyWaitlistPlace[]): UserView => ({
    bookings: Object.fromEntries(bookings.map((b) => [b.bookingId, b])),
    waitlist: Object.fromEntries(waitlist.map((w) => [w.entryId, w])),
    notices: {},
    unread: 0,
  });

  it("takes the soonest live bookings and open places ahead, at most four, and nothing past, ended or far off", () => {
    const v = view(
      [
        booking("later", now + 30 * HOUR),
        booking("soonest", now + HOUR),
        booking("started", now - HOUR),
        booking("cancelled", now + 2 * HOUR, "cancelled"),
        booking("next-month", now + 20 * 24 * HOUR),
        booking("fifth", now + 60 * HOUR),
      ],
      [
        place("waiting", now + 3 * HOUR, "waiting"),
        place("offered", now + 4 * HOUR, "offered"),
        place("promoted", now + 5 * HOUR, "promoted"),
      ],
    );
    expect(classesToWarm(v, now)).toEqual(["soonest", "waiting", "offered", "later"]);
    expect(classesToWarm(view([], []), now)).toEqual([]);
  });
});

describe("a member's room loading", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 2, beforeClose: (db) => settleAnchors(db.orm) });

  const node = (resident?: ResidentStandings) => {
    const deps = { orm: t.db.orm, nodeId: `warm-${randomUUID()}`, now: Date.now, idempotencyWindowMs: 60_000 };
    return new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      {
        classes: classStore(deps),
        gyms: gymStore(deps, async () => null),
        users: userStore(deps),
        ...(resident ? { resident: { resident, userOfCode: () => null } } : {}),
      },
      60_000,
    );
  };
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    return ok();
  };

  it("starts the class rooms of the member's next classes, and none for a member without any", async () => {
    const classRoom = `class:${t.gym.sessionId}` as RoomId;
    const [ann, bob] = [t.gym.members[0]!, t.gym.members[1]!];
    const caller: Caller = { userId: ann.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
    const first = node();
    expect(
      await first.send(classRoom, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type: "class:book",
        payload: { sessionId: t.gym.sessionId },
        receivedAt: Date.now(),
      }),
    ).toMatchObject({ ok: true, result: { status: "booked" } });
    await first.close();

    // A node where nothing is live yet: Bob (no bookings) opens the app, then Ann does.
    const fresh = node();
    await fresh.get(`user:${bob.id}` as RoomId).start();
    await new Promise((r) => setTimeout(r, 50));
    expect(fresh.peek(classRoom)).toBeUndefined();
    await fresh.get(`user:${ann.id}` as RoomId).start();
    expect(await until(() => fresh.peek(classRoom)?.idle === true)).toBe(true);
    expect(fresh.peek(classRoom)!.stateBytes()).toBeGreaterThan(0);
    await fresh.close();
  });

  it("starts loading the gym's members with them, not after the class room's load (issue 15: the first cancel waited for the gym)", async () => {
    const bob = t.gym.members[1]!;
    const caller: Caller = { userId: bob.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
    const booking = node();
    await booking.send(`class:${t.gym.sessionId}` as RoomId, {
      kind: "command",
      caller,
      commandId: randomUUID(),
      type: "class:book",
      payload: { sessionId: t.gym.sessionId, waitlist: true },
      receivedAt: Date.now(),
    });
    await booking.close();
    const resident = new ResidentStandings(standingsSource(t.db.orm), Date.now, 60_000, 0);
    const fresh = node(resident);
    // The member's room alone: the class room's load (its own way to the gym's members) is not what loads them.
    fresh.runtime.warm = () => undefined;
    await fresh.get(`user:${bob.id}` as RoomId).start();
    expect(await until(() => resident.isLoaded(t.gym.gymId))).toBe(true);
    expect(resident.memberNow(t.gym.gymId, bob.id)).toBeDefined();
    await fresh.close();
    resident.close();
  });
});
