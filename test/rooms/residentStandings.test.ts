import { describe, expect, it } from "vitest";
import type { ClassStateEvent } from "../../domain/class/index.js";
import type { Booking } from "../../domain/model.js";
import type { ResidentMember, StandingsSource } from "../../rooms/residentMember.js";
import { residentLookup } from "../../rooms/classPorts.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { aMember, aPackMember, aSession, GYM, HOUR, STARTS_AT } from "../support/domainBuilders.js";

const resident = (id: string, overrides: Partial<ResidentMember> = {}): ResidentMember => ({
  memberId: id,
  role: "member",
  status: "active",
  planName: "Plan",
  entitlement: { kind: "unlimited" },
  credits: null,
  creditsExpireAt: null,
  missingConsents: [],
  name: `Name ${id}`,
  email: `${id}@example.com`,
  phone: null,
  visible: true,
  notes: "",
  lastOpenGymAt: null,
  frozenUntil: null,
  bookings: [],
  streak: { streak: 0, lastActiveDay: null },
  ...overrides,
});

/** A database of members whose reads the test counts (and can hold open). */
function source(members: ResidentMember[]) {
  const rows = new Map(members.map((m) => [m.memberId, m]));
  const calls = { gym: 0, members: [] as string[][] };
  let gate: Promise<void> | null = null;
  const src: StandingsSource = {
    async loadGym(gymId) {
      calls.gym += 1;
      return gymId === GYM
        ? { timeZone: "Europe/Berlin", members: [...rows.values()].map((m) => structuredClone(m)), sessionIds: ["s-1", "s-2"] }
        : null;
    },
    async loadMembers(_gymId, ids) {
      calls.members.push(ids);
      const read = ids.flatMap((id) => (rows.has(id) ? [structuredClone(rows.get(id)!)] : []));
      if (gate) await gate;
      return read;
    },
  };
  return { src, rows, calls, hold: (p: Promise<void> | null) => (gate = p) };
}

const booking = (memberId: string, sessionId: string, status: Booking["status"] = "booked"): Booking =>
  ({
    id: `b-${memberId}-${sessionId}`,
    gymId: GYM,
    sessionId,
    memberId,
    status,
    createdAt: 0,
    updatedAt: 0,
    creditUsed: false,
    promotedFromWaitlist: false,
  }) as Booking;

describe("resident standings", () => {
  it("loads a gym once for any number of concurrent readers and answers non-members with null", async () => {
    const db = source([resident("a"), resident("b")]);
    const store = new ResidentStandings(db.src, () => STARTS_AT, 60_000);
    const found = await Promise.all(["a", "b", "x", "a"].map((id) => store.member(GYM, id)));
    expect(found.map((m) => m?.memberId ?? null)).toEqual(["a", "b", null, "a"]);
    expect(await store.member("no-such-gym", "a")).toBeNull();
    // A non-member is asked for once more (their membership may be newer than the gym's load).
    expect(db.calls).toMatchObject({ gym: 2, members: [["x"]] });
    store.close();
  });

  it("moves credits by the committed batch's delta and counts the week's bookings from the commits", async () => {
    const db = source([
      resident("p", { entitlement: { kind: "pack", credits: 10, validDays: 90 }, credits: 3 }),
      resident("w", { entitlement: { kind: "weekly", classesPerWeek: 2 } }),
    ]);
    const store = new ResidentStandings(db.src, () => STARTS_AT - 48 * HOUR, 60_000);
    const session = aSession({ id: "s1" });
    await store.member(GYM, "p");
    const events: ClassStateEvent[] = [
      { type: "credits.changed", memberId: "p", credits: 2 },
      { type: "booking.created", booking: booking("p", "s1") },
      { type: "booking.created", booking: booking("w", "s1") },
    ];
    store.afterClassCommit({ session, members: { p: aPackMember("p", 3) } }, events);
    expect((await store.member(GYM, "p"))!.credits).toBe(2);
    const other = aSession({ id: "s2", startsAt: STARTS_AT + HOUR });
    expect((await store.standing(other, "w"))!.standing.bookingsThisWeek).toBe(1);
    expect((await store.standing(session, "w"))!.standing.bookingsThisWeek).toBe(0);
    store.afterClassCommit({ session, members: { w: aMember({ memberId: "w" }) } }, [
      { type: "booking.updated", booking: booking("w", "s1", "cancelled") },
    ]);
    expect((await store.standing(other, "w"))!.standing.bookingsThisWeek).toBe(0);
    expect(db.calls.members).toEqual([]);
    store.close();
  });

  it("answers a loading room's roster from memory in one pass, each standing as one member's read would, and reads only the rest", async () => {
    const db = source([resident("a"), resident("b", { entitlement: { kind: "weekly", classesPerWeek: 2 } }), resident("c")]);
    const store = new ResidentStandings(db.src, () => STARTS_AT - 48 * HOUR, 60_000);
    const lookup = residentLookup(store);
    const session = aSession({ id: "s1" });
    // Not loaded yet: nothing from memory, every id waits for the load.
    expect(store.standingsNow(session, ["a", "x"])).toEqual({ standings: {}, people: {}, later: ["a", "x"] });
    await store.member(GYM, "a");
    db.rows.set("c", resident("c", { status: "frozen" }));
    store.invalidateMember(GYM, "c");
    expect(store.standingsNow(session, ["a", "b", "c", "x"]).later).toEqual(["c", "x"]);
    const roster = await lookup.roster(session, ["a", "b", "c", "x"]);
    // Only the stale member and the non-member were read (together, as concurrent single reads are).
    expect(db.calls.members).toEqual([["c", "x"]]);
    expect(Object.keys(roster.standings)).toEqual(["a", "b", "c"]);
    const one = await lookup.standings(session, ["a", "b", "c", "x"]);
    expect(roster.standings).toEqual(Object.fromEntries([...one].map(([id, m]) => [id, m.standing])));
    expect(roster.people).toEqual(Object.fromEntries([...one].map(([id, m]) => [id, m.person])));
    expect(roster.people.c).toMatchObject({ membershipStatus: "frozen" });
    store.close();
  });

  it("reads an invalidated member again, alone, and keeps them stale when they change during that read", async () => {
    const db = source([resident("a"), resident("b")]);
    const store = new ResidentStandings(db.src, () => STARTS_AT, 60_000);
    await store.member(GYM, "a");
    db.rows.set("a", resident("a", { status: "frozen" }));
    store.invalidateMember(GYM, "a");
    let open!: () => void;
    db.hold(new Promise<void>((r) => (open = r)));
    const reading = store.member(GYM, "a");
    await new Promise((r) => setTimeout(r, 0));
    // Changed again while the read ran: what it read may predate this.
    db.rows.set("a", resident("a", { status: "cancelled" }));
    store.invalidateMember(GYM, "a");
    db.hold(null);
    open();
    expect((await reading)!.status).toBe("cancelled");
    expect(db.calls.members).toEqual([["a"], ["a"]]);
    expect((await store.member(GYM, "b"))!.status).toBe("active");
    store.close();
  });

  it("knows the gym of every session read with a resident gym, and forgets them with the gym", async () => {
    const clock = { now: STARTS_AT };
    const store = new ResidentStandings(source([resident("a")]).src, () => clock.now, 60_000);
    expect(store.gymOfSession("s-1")).toBeUndefined();
    await store.member(GYM, "a");
    expect([store.gymOfSession("s-1"), store.gymOfSession("S-2"), store.gymOfSession("s-3")]).toEqual([GYM, GYM, undefined]);
    clock.now += 61_000;
    store.sweep();
    expect(store.gymOfSession("s-1")).toBeUndefined();
    store.close();
  });

  it("knows the gym of a session a class room loaded while the gym's members still load (its first command reads no gym)", async () => {
    const db = source([resident("a")]);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const store = new ResidentStandings(
      { ...db.src, loadGym: (g, since) => gate.then(() => db.src.loadGym(g, since)) },
      () => STARTS_AT,
      60_000,
    );
    store.warm(GYM);
    store.sessionLoaded("S-9", GYM);
    store.sessionLoaded("s-8", "gym-not-resident");
    expect([store.gymOfSession("s-9"), store.gymOfSession("s-8"), store.isLoaded(GYM)]).toEqual([GYM, undefined, false]);
    open();
    await store.member(GYM, "a");
    expect(store.gymOfSession("s-9")).toBe(GYM);
    store.close();
  });

  it("tells a gym's watchers which members may have changed: commits here, invalidations, the whole gym; until they stop", async () => {
    const db = source([resident("p", { entitlement: { kind: "pack", credits: 10, validDays: 90 }, credits: 3 }), resident("b")]);
    const store = new ResidentStandings(db.src, () => STARTS_AT - 48 * HOUR, 60_000);
    await store.member(GYM, "p");
    const told: (readonly string[] | null)[] = [];
    const other: (readonly string[] | null)[] = [];
    const stop = store.watch(GYM, (ids) => told.push(ids));
    store.watch("other-gym", (ids) => other.push(ids));
    const before = store.changes;
    store.afterClassCommit({ session: aSession({ id: "s1" }), members: { p: aPackMember("p", 3) } }, [
      { type: "credits.changed", memberId: "p", credits: 2 },
    ]);
    store.invalidateMember(GYM, "b");
    store.invalidateUser("b");
    store.invalidateGym(GYM);
    expect(told).toEqual([["p"], ["b"], ["b"], null]);
    // Another gym's rooms hear only what may concern them: a user who may belong to every gym.
    expect(other).toEqual([["b"]]);
    expect(store.changes).toBeGreaterThan(before);
    stop();
    store.invalidateMember(GYM, "b");
    expect(told).toHaveLength(4);
    store.close();
  });

  it("forgets gyms nobody read for the idle time", async () => {
    const clock = { now: STARTS_AT };
    const db = source([resident("a")]);
    const store = new ResidentStandings(db.src, () => clock.now, 60_000);
    await store.member(GYM, "a");
    clock.now += 30_000;
    store.sweep();
    expect(store.size).toBe(1);
    clock.now += 61_000;
    store.sweep();
    expect(store.size).toBe(0);
    await store.member(GYM, "a");
    expect(db.calls.gym).toBe(2);
    store.close();
  });

  it("searches the desk's members in memory by name, email or phone, and reads a changed member alone first", async () => {
    const db = source([
      resident("a", { name: "Zoe Berg", email: "zoe@example.com" }),
      resident("b", { name: "Anna Berg", email: "anna@example.com", phone: "+49 170 555" }),
      resident("c", { name: "Carl Nord", email: "carl@berg.de" }),
      resident("d", { name: "Dora Sund", email: "dora@example.com" }),
    ]);
    const store = new ResidentStandings(db.src, () => STARTS_AT, 60_000);
    const names = async (q: string, limit = 25) => (await store.search(GYM, q, limit)).map((m) => m.name);
    expect(await names("BERG")).toEqual(["Anna Berg", "Carl Nord", "Zoe Berg"]);
    expect(await names("berg", 2)).toEqual(["Anna Berg", "Carl Nord"]);
    expect(await names("170 5")).toEqual(["Anna Berg"]);
    expect(await names("nobody")).toEqual([]);
    // One bulk read of the gym, no read per search.
    expect(db.calls).toEqual({ gym: 1, members: [] });
    db.rows.set("d", resident("d", { name: "Dora Berg", email: "dora@example.com" }));
    store.invalidateMember(GYM, "d");
    expect(await names("berg")).toEqual(["Anna Berg", "Carl Nord", "Dora Berg", "Zoe Berg"]);
    expect(db.calls).toEqual({ gym: 1, members: [["d"]] });
    expect(await store.search("no-such-gym", "berg", 25)).toEqual([]);
    store.close();
  });
});
