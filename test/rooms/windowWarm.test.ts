/**
 * Warm-up ahead of a booking window (issue 15): a class whose booking window opens within the lead time has its room
 * and its gym's members in memory before the opening — loaded once, kept however idle until then, evicted as any
 * idle room after — so the first press pays no load. And the warm-up is capped: at most so many rooms a minute.
 * One node's registry over the real stores on PostgreSQL, with a clock the test moves.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DefaultGymPolicy } from "../../domain/policy.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Caller } from "../../rooms/ports.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { LocalBus, LocalDirectory, type RemoteRequest } from "../../rooms/coordination.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { RoomRouter } from "../../rooms/RoomRouter.js";
import { settleAnchors } from "../../server/audit/anchors.js";
import { warmThrough, WindowWarmer, type WarmOutcome } from "../../server/jobs/windowWarmJob.js";
import { classStore } from "../../server/persistence/classStore.js";
import { gymStore } from "../../server/persistence/gymStore.js";
import { openingSessions, type Opening } from "../../server/persistence/openingSessions.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { userStore } from "../../server/persistence/userStore.js";
import { testRuntime } from "../support/roomRuntime.js";
import { postgresOrPglite } from "../support/services.js";
import { withMigratedGym } from "../support/migratedGym.js";

const pg = await postgresOrPglite();
const IDLE_MS = 60_000;
const LEAD_MS = 120_000;
const OPENS_BEFORE_START = DefaultGymPolicy.bookingOpensMinutes * 60_000;

describe("a class room whose booking window opens soon", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 3, beforeClose: (db) => settleAnchors(db.orm) });

  it("is live with its gym's members before the opening, loaded once, kept while idle, and evicted after", async () => {
    const clock = { now: Date.now() };
    const now = () => clock.now;
    const loads = { classes: 0, gyms: 0 };
    const deps = { orm: t.db.orm, nodeId: "window-warm", now, idempotencyWindowMs: 60_000 };
    const source = standingsSource(t.db.orm);
    const counted = { ...source, loadGym: (...a: Parameters<typeof source.loadGym>) => (loads.gyms++, source.loadGym(...a)) };
    const resident = new ResidentStandings(counted, now, IDLE_MS, 0);
    const classes = classStore(deps);
    const registry = new RoomRegistry(
      { ...testRuntime(now, randomUUID) },
      {
        classes: { ...classes, loadClass: (...a) => (loads.classes++, classes.loadClass(...a)) },
        gyms: gymStore(deps, async () => null),
        users: userStore(deps),
        resident: { resident, userOfCode: () => null },
      },
      IDLE_MS,
    );
    // One class's window opens in 90 s (within the lead time), another's in 10 min (not yet).
    const opensAt = clock.now + 90_000;
    const soon = await t.gym.addSession({ startsAt: opensAt + OPENS_BEFORE_START, endsAt: opensAt + OPENS_BEFORE_START + 3_600_000 });
    const later = await t.gym.addSession({
      startsAt: clock.now + 600_000 + OPENS_BEFORE_START,
      endsAt: clock.now + 600_000 + OPENS_BEFORE_START + 3_600_000,
    });
    const warmer = new WindowWarmer(
      (from, to, limit) => openingSessions(t.db.orm, from, to, limit),
      warmThrough((room, message) => registry.send(room, message)),
      now,
      {
        leadMs: LEAD_MS,
        perMinute: 100,
        everyMs: 20_000,
      },
    );
    const room = `class:${soon.id}` as RoomId;
    const settled = async () => {
      for (let i = 0; i < 300 && !(registry.peek(room)?.idle && resident.isLoaded(t.gym.gymId)); i++)
        await new Promise((r) => setTimeout(r, 10));
    };

    expect(await warmer.pass()).toBe(1);
    await settled();
    expect(registry.peek(room)).toBeDefined();
    expect(registry.peek(`class:${later.id}` as RoomId)).toBeUndefined();
    expect(resident.isLoaded(t.gym.gymId)).toBe(true);
    expect(loads).toEqual({ classes: 1, gyms: 1 });

    // The next pass, before the opening, warms nothing again.
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(0);

    // Idle for longer than the idle time, but its window has not opened yet: the room and the gym's members stay.
    clock.now = opensAt - 1;
    await registry.sweep();
    resident.sweep();
    expect(registry.peek(room)).toBeDefined();
    expect(resident.isLoaded(t.gym.gymId)).toBe(true);

    // The first press at the opening loads nothing.
    clock.now = opensAt + 1;
    const caller: Caller = { userId: t.gym.members[0]!.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
    const book = {
      kind: "command" as const,
      caller,
      commandId: randomUUID(),
      type: "class:book",
      payload: { sessionId: soon.id },
      receivedAt: now(),
    };
    expect(await registry.send(room, book)).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(loads).toEqual({ classes: 1, gyms: 1 });

    // Nobody used them for longer than the idle time after the window opened: both leave memory.
    clock.now += IDLE_MS + 1;
    await registry.sweep();
    resident.sweep();
    expect(registry.peek(room)).toBeUndefined();
    expect(resident.isLoaded(t.gym.gymId)).toBe(false);
    await registry.close();
    resident.close();
  });

  it("is not warmed before its window is within the lead time", async () => {
    // An hour on: the other test's classes open long before.
    const clock = { now: Date.now() + 3_600_000 };
    const warmed: RoomId[] = [];
    const s = await t.gym.addSession({
      startsAt: clock.now + 300_000 + OPENS_BEFORE_START,
      endsAt: clock.now + 300_000 + OPENS_BEFORE_START + 3_600_000,
    });
    const warmer = new WindowWarmer(
      (from, to, limit) => openingSessions(t.db.orm, from, to, limit),
      async (room) => (warmed.push(room), "warmed"),
      () => clock.now,
      {
        leadMs: LEAD_MS,
        perMinute: 100,
        everyMs: 20_000,
      },
    );
    expect(await warmer.pass()).toBe(0);
    clock.now += 300_000 - LEAD_MS + 1;
    expect(await warmer.pass()).toBe(1);
    expect(warmed).toEqual([`class:${s.id}`]);
  });
});

describe("warming ahead of booking windows is capped", () => {
  it("warms at most `perMinute` rooms a minute, soonest opening first, each opening once", async () => {
    const clock = { now: 1_800_000_000_000 };
    const openings: Opening[] = Array.from({ length: 12 }, (_, i) => ({
      sessionId: `s${i}`,
      opensAt: clock.now + (i < 5 ? 30_000 : 90_000) + i * 1_000,
    }));
    const asked: { from: number; to: number; limit: number }[] = [];
    const warmed: { room: RoomId; until: number }[] = [];
    const warmer = new WindowWarmer(
      async (from, to, limit) => {
        asked.push({ from, to, limit });
        return openings.filter((o) => o.opensAt > from && o.opensAt <= to).slice(0, limit);
      },
      async (room, until) => (warmed.push({ room, until }), "warmed"),
      () => clock.now,
      { leadMs: LEAD_MS, perMinute: 5, everyMs: 20_000 },
    );

    expect(await warmer.pass()).toBe(5);
    expect(warmed.map((w) => w.room)).toEqual(["class:s0", "class:s1", "class:s2", "class:s3", "class:s4"]);
    expect(warmed[0]!.until).toBe(openings[0]!.opensAt);
    expect(asked[0]).toEqual({ from: clock.now, to: clock.now + LEAD_MS, limit: 5 });
    // The same minute: the budget is spent, nothing is asked.
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(0);
    expect(asked).toHaveLength(1);
    // A minute later: the next five, soonest first (none warmed twice; the first five have opened and are forgotten).
    clock.now += 40_000;
    expect(await warmer.pass()).toBe(5);
    expect(warmed.map((w) => w.room).slice(5)).toEqual(["class:s5", "class:s6", "class:s7", "class:s8", "class:s9"]);
    expect(asked[1]).toEqual({ from: clock.now, to: clock.now + LEAD_MS, limit: 5 });
    expect(new Set(warmed.map((w) => w.room)).size).toBe(10);
  });
});

describe("a warm-up that fails, or whose room another node owns", () => {
  it("is tried again on the next pass (not remembered as warmed); a room owned elsewhere is looked at again, outside the budget", async () => {
    const clock = { now: 1_800_000_000_000 };
    const openings: Opening[] = [0, 1, 2].map((i) => ({ sessionId: `s${i}`, opensAt: clock.now + 100_000 + i }));
    const outcome: Record<string, WarmOutcome> = { "class:s0": "failed", "class:s1": "elsewhere", "class:s2": "warmed" };
    const tried: string[] = [];
    const warmer = new WindowWarmer(
      async (_from, _to, limit) => openings.slice(0, limit),
      async (room) => (tried.push(room), outcome[room]!),
      () => clock.now,
      { leadMs: LEAD_MS, perMinute: 2, everyMs: 20_000 },
    );
    // The first two openings (the budget): s0 fails, s1 is another node's.
    expect(await warmer.pass()).toBe(0);
    expect(tried.splice(0)).toEqual(["class:s0", "class:s1"]);
    // Same minute, one left in the budget: the failed one is tried again; s1 looked at again outside the budget.
    clock.now += 20_000;
    outcome["class:s0"] = "warmed";
    expect(await warmer.pass()).toBe(1);
    expect(tried.splice(0)).toEqual(["class:s0", "class:s1"]);
    // The next minute: s1 is this node's now (its owner left), and s2 comes; s0 is not warmed again.
    clock.now += 40_000;
    outcome["class:s1"] = "warmed";
    expect(await warmer.pass()).toBe(2);
    expect(tried.splice(0)).toEqual(["class:s1", "class:s2"]);
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(0);
    expect(tried).toEqual([]);
  });

  it("does not let a warm-up that never answers hold up the pass or the other openings: it counts as failed and is tried again", async () => {
    const clock = { now: 1_800_000_000_000 };
    const openings: Opening[] = [0, 1].map((i) => ({ sessionId: `s${i}`, opensAt: clock.now + 100_000 + i }));
    const sent: string[] = [];
    const warm = warmThrough(
      async (room) => (sent.push(room), room === "class:s0" ? new Promise<never>(() => undefined) : { ok: true as const, result: null }),
      { waitMs: 50 },
    );
    const warmer = new WindowWarmer(
      async (_f, _t, limit) => openings.slice(0, limit),
      warm,
      () => clock.now,
      {
        leadMs: LEAD_MS,
        perMinute: 10,
        everyMs: 20_000,
      },
    );
    expect(await warmer.pass()).toBe(1);
    expect(sent.splice(0)).toEqual(["class:s0", "class:s1"]);
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(0);
    expect(sent).toEqual(["class:s0"]);
  });

  it("forwards an opening left to its owner once it is within half the lead time, once, so a stuck owner does not leave it cold", async () => {
    const clock = { now: 1_800_000_000_000 };
    const opening: Opening = { sessionId: "s0", opensAt: clock.now + 100_000 };
    const asked: string[] = [];
    const warm = warmThrough(async () => (asked.push("if-owner"), "elsewhere" as const), {
      anywhere: async () => (asked.push("forwarded"), { ok: true as const, result: null }),
    });
    const warmer = new WindowWarmer(
      async () => [opening],
      warm,
      () => clock.now,
      { leadMs: LEAD_MS, perMinute: 10, everyMs: 20_000 },
    );
    // 100 s and 80 s before the opening (more than half the lead of 120 s): left to the owner.
    expect(await warmer.pass()).toBe(0);
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(0);
    expect(asked.splice(0)).toEqual(["if-owner", "if-owner"]);
    // 60 s before: forwarded to the owner; remembered as warmed after.
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(1);
    clock.now += 20_000;
    expect(await warmer.pass()).toBe(0);
    expect(asked).toEqual(["forwarded"]);
  });

  it("is made once in a cluster: the node that claims the room warms it, the other neither warms nor forwards", async () => {
    const directory = new LocalDirectory();
    const now = () => 1_800_000_000_000;
    const opening: Opening = { sessionId: randomUUID(), opensAt: now() + 100_000 };
    const loads: string[] = [];
    const requests: RemoteRequest[] = [];
    const node = (name: string) => {
      const registry = new RoomRegistry(
        testRuntime(now, randomUUID),
        {
          classes: { loadClass: async () => (loads.push(name), null), loadMembers: async () => new Map(), commitClass: async () => {} },
          gyms: undefined as never,
          users: undefined as never,
        },
        3_600_000,
      );
      const bus = new LocalBus();
      const request = bus.request.bind(bus);
      bus.request = (to, r, timeoutMs) => (requests.push(r), request(to, r, timeoutMs));
      const router = new RoomRouter({
        node: name,
        directory,
        bus,
        registry,
        log: { info() {}, warn() {}, error() {} },
        now,
        requestTimeoutMs: 1_000,
      });
      const warmer = new WindowWarmer(
        async () => [opening],
        warmThrough((room, message) => router.sendIfOwner(room, message)),
        now,
        { leadMs: LEAD_MS, perMinute: 10, everyMs: 20_000 },
      );
      return { router, registry, warmer };
    };
    const a = node("warm-a");
    const b = node("warm-b");
    await Promise.all([a.router.start(), b.router.start()]);
    try {
      // Both nodes' passes at once, twice (a node's passes never overlap): one warm-up in all.
      expect((await Promise.all([a.warmer.pass(), b.warmer.pass()])).sort()).toEqual([0, 1]);
      expect(await Promise.all([a.warmer.pass(), b.warmer.pass()])).toEqual([0, 0]);
      expect(loads).toHaveLength(1);
      expect(requests).toEqual([]);
    } finally {
      await Promise.all([a.router.close(), b.router.close()]);
    }
  });
});
