/**
 * Revocation on one node: a role change, a suspension, "sign out everywhere" and an approved deletion take a
 * user's live access away at once — asserted on the revoked socket's raw frames: after the `room:reset
 * { reason: "access_revoked" }`, not one more delta of that room reaches it, while the staff who keep access go on
 * receiving them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { GymMembershipEntity } from "../../../server/db/entities/index.js";
import { appendFeedEvents } from "../../../server/persistence/feedStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets } from "../../support/sockets.js";
import { connectError, deltasAfterReset, resetIndex } from "../../support/revocation.js";

describe("revocation on one node", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 4 });
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  it("regression: a coach demoted to member kept receiving staff deltas — no delta after the reset reaches them", async () => {
    const session = await gym.addSession();
    const room = `class:${session.id}`;
    const owner = await sockets.connect(gym.ownerId);
    const coach = await sockets.connect(gym.coachId);
    const desk = await sockets.connect(gym.deskId);
    for (const s of [coach, desk]) expect(await s.join(room)).toMatchObject({ ok: true, result: { audience: "staff" } });
    expect(await coach.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });

    // The demotion and a stream of staff changes race: whatever the room publishes after the revocation skips the coach.
    const changes = [31, 32, 33, 34].map((capacity) => owner.command(room, "class:setCapacity", { sessionId: session.id, capacity }));
    const demoted = await owner.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.coachId, role: "member" });
    expect(demoted).toMatchObject({ ok: true, result: { role: "member", changed: true } });
    await Promise.all(changes);
    // A change answered after the demotion: its delta reaches the desk, and the coach was told before it (not a second later).
    for (const capacity of [40, 41, 42])
      expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity })).toMatchObject({ ok: true });
    // The first delta of a change answered after the demotion (acks can overtake the deltas of earlier changes, so
    // it is found by what it says, not by its place in the desk's list).
    const setsCapacity = (d: { ops: unknown[] }, capacity: number) =>
      JSON.stringify(d.ops).includes(`"path":["session","capacity"],"value":${capacity}`);
    await eventually(() => expect(desk.deltas.some((d) => d.room === room && setsCapacity(d, 42))).toBe(true));
    const firstAfter = desk.deltas.find((d) => d.room === room && setsCapacity(d, 40))!.seq;
    expect(coach.deltas.filter((d) => d.room === room && d.seq >= firstAfter)).toEqual([]);
    expect(resetIndex(coach, room)).toBeGreaterThanOrEqual(0);
    expect(coach.frames[resetIndex(coach, room)]).toContain("Your access to this gym changed");
    expect(deltasAfterReset(coach, room)).toEqual([]);
    await eventually(() => expect(resetIndex(coach, `gym:${gym.gymId}`)).toBeGreaterThanOrEqual(0));
    // Rejoining shows what a member may see.
    expect(await coach.join(room)).toMatchObject({ ok: true, result: { audience: "public" } });
  });

  it("a suspended front desk loses the staff room and the feed at once, told in words", async () => {
    const g = await aGym(t.server.db.orm, { members: 1 });
    const owner = await sockets.connect(g.ownerId);
    const desk = await sockets.connect(g.deskId);
    expect(await desk.join(`gym:${g.gymId}`)).toMatchObject({ ok: true, result: { audience: "staff" } });
    expect(await desk.command(`gym:${g.gymId}`, "feed:watch", {})).toMatchObject({ ok: true });
    expect(await owner.command(`gym:${g.gymId}`, "gym:setMembership", { memberId: g.deskId, status: "frozen" })).toMatchObject({
      ok: true,
    });
    await eventually(() =>
      expect(desk.frames.filter((f) => f.includes("access_revoked") && f.includes(`gym:${g.gymId}`)).length).toBeGreaterThanOrEqual(2),
    );
    expect(desk.frames.join("\n")).toContain("Your access to this gym changed");
    const marker = `after-suspension-${Date.now()}`;
    await t.server.db.orm.em
      .fork()
      .transactional((tx) =>
        appendFeedEvents(tx, [
          { gymId: g.gymId, actorId: g.members[0]!.id, kind: "pr", visibility: "gym", payload: { marker }, at: Date.now() },
        ]),
      );
    const watcher = await sockets.connect(g.ownerId);
    expect(await watcher.command(`gym:${g.gymId}`, "feed:page", {})).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(desk.frames.join("\n")).not.toContain(marker);
    expect(await desk.join(`gym:${g.gymId}`)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("regression: a front desk moved to coach kept the sales board's live stream — it stops at once", async () => {
    const g = await aGym(t.server.db.orm, { members: 1 });
    const owner = await sockets.connect(g.ownerId);
    const desk = await sockets.connect(g.deskId);
    const room = `gym:${g.gymId}`;
    expect(await desk.join(room)).toMatchObject({ ok: true, result: { audience: "staff" } });
    expect(await desk.command(room, "gym:leads", { watch: true })).toMatchObject({ ok: true });
    const heard: unknown[] = [];
    desk.socket.on("leads:changed", (c: unknown) => heard.push(c));
    expect(await owner.command(room, "gym:saveLead", { name: "Before", source: "website" })).toMatchObject({ ok: true });
    await eventually(() => expect(heard.length).toBeGreaterThan(0));
    expect(await owner.command(room, "gym:setMembership", { memberId: g.deskId, role: "coach" })).toMatchObject({
      ok: true,
      result: { role: "coach" },
    });
    await eventually(() => expect(resetIndex(desk, room)).toBeGreaterThanOrEqual(0));
    heard.length = 0;
    const ownerBoard = await sockets.connect(g.ownerId);
    const ownerHeard: unknown[] = [];
    expect(await ownerBoard.command(room, "gym:leads", { watch: true })).toMatchObject({ ok: true });
    ownerBoard.socket.on("leads:changed", (c: unknown) => ownerHeard.push(c));
    expect(await owner.command(room, "gym:saveLead", { name: "After", source: "website" })).toMatchObject({ ok: true });
    await eventually(() => expect(ownerHeard.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual([]);
  });

  it("the owner report's live stream: a visit tells its watchers; an admin moved to the desk stops hearing it at once", async () => {
    const g = await aGym(t.server.db.orm, { members: 2 });
    const owner = await sockets.connect(g.ownerId);
    const room = `gym:${g.gymId}`;
    expect(await owner.command(room, "gym:setMembership", { memberId: g.deskId, role: "admin" })).toMatchObject({ ok: true });
    const admin = await sockets.connect(g.deskId);
    expect(await admin.join(room)).toMatchObject({ ok: true, result: { audience: "staff" } });
    const watcher = await sockets.connect(g.ownerId);
    const heard: unknown[] = [];
    const ownerHeard: unknown[] = [];
    admin.socket.on("report:changed", (c: unknown) => heard.push(c));
    watcher.socket.on("report:changed", (c: unknown) => ownerHeard.push(c));
    expect(await admin.command(room, "gym:ownerReport", { watch: true })).toMatchObject({
      ok: true,
      result: { atRisk: expect.anything() },
    });
    expect(await watcher.command(room, "gym:ownerReport", { watch: true })).toMatchObject({ ok: true });
    expect(await owner.command(room, "gym:checkIn", { memberId: g.members[0]!.id, openGym: true })).toMatchObject({ ok: true });
    await eventually(() => expect(heard).toEqual([{ gymId: g.gymId }]), 10_000);
    expect(await owner.command(room, "gym:setMembership", { memberId: g.deskId, role: "front_desk" })).toMatchObject({ ok: true });
    await eventually(() => expect(resetIndex(admin, room)).toBeGreaterThanOrEqual(0));
    ownerHeard.length = 0;
    heard.length = 0;
    expect(await owner.command(room, "gym:checkIn", { memberId: g.members[1]!.id, openGym: true })).toMatchObject({ ok: true });
    await eventually(() => expect(ownerHeard.length).toBeGreaterThan(0), 10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual([]);
    // Nor can the desk subscribe again: the watch is the report's request, owners and admins only.
    expect(await admin.command(room, "gym:ownerReport", { watch: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // Closing the screen stops the frames without computing the report.
    expect(await watcher.command(room, "gym:ownerReport", { watch: false })).toEqual({ ok: true, result: { watching: false } });
  });

  it("a deactivated coach's socket loses the class room, the feed and the board at once; the desk keeps the room; old tokens are refused", async () => {
    const g = await aGym(t.server.db.orm, { members: 1 });
    const session = await g.addSession();
    const room = `class:${session.id}`;
    const gymRoom = `gym:${g.gymId}`;
    const owner = await sockets.connect(g.ownerId);
    const coach = await sockets.connect(g.coachId);
    const desk = await sockets.connect(g.deskId);
    const token = await signToken(t.server.jwtSecret!, g.coachId, 3_600);
    for (const s of [coach, desk]) expect(await s.join(room)).toMatchObject({ ok: true, result: { audience: "staff" } });
    expect(await coach.join(gymRoom)).toMatchObject({ ok: true });
    expect(await coach.command(gymRoom, "feed:watch", {})).toMatchObject({ ok: true });
    expect(await coach.command(gymRoom, "gym:leaderboard", { board: "attendance", period: "week", watch: true })).toMatchObject({
      ok: true,
    });

    const staff = await owner.command(gymRoom, "gym:staff", {});
    expect(staff).toMatchObject({
      ok: true,
      result: { staff: expect.arrayContaining([expect.objectContaining({ memberId: g.coachId, role: "coach", status: "active" })]) },
    });
    const out = await owner.command(gymRoom, "gym:deactivateStaff", { memberId: g.coachId });
    expect(out).toMatchObject({ ok: true, result: { memberId: g.coachId, role: "coach", status: "cancelled" } });
    // At once: the answer comes after every node dropped the coach's sockets.
    expect(coach.socket.connected).toBe(false);
    expect(coach.frames.join("\n")).toContain("signed out on every device");
    const before = desk.deltas.length;
    expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity: 33 })).toMatchObject({ ok: true });
    await eventually(() => expect(desk.deltas.length).toBeGreaterThan(before));
    expect(await connectError(t.server.url, token)).toMatchObject({ code: "UNAUTHENTICATED" });
    const m = await t.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { gymId: g.gymId, userId: g.coachId });
    expect(m.status).toBe("cancelled");
    const list = (await owner.command(gymRoom, "gym:staff", {})) as { result: { staff: { memberId: string }[] } };
    expect(list.result.staff.map((p) => p.memberId)).not.toContain(g.coachId);
  });

  it("refuses deactivating oneself, an owner by an admin, a member, and by a coach", async () => {
    const g = await aGym(t.server.db.orm, { members: 1 });
    const owner = await sockets.connect(g.ownerId);
    const coach = await sockets.connect(g.coachId);
    const gymRoom = `gym:${g.gymId}`;
    expect(await owner.command(gymRoom, "gym:deactivateStaff", { memberId: g.ownerId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await owner.command(gymRoom, "gym:deactivateStaff", { memberId: g.members[0]!.id })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await coach.command(gymRoom, "gym:deactivateStaff", { memberId: g.deskId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await owner.command(gymRoom, "gym:setMembership", { memberId: g.deskId, role: "admin" })).toMatchObject({ ok: true });
    const admin = await sockets.connect(g.deskId);
    expect(await admin.command(gymRoom, "gym:deactivateStaff", { memberId: g.ownerId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN", message: expect.stringContaining("Only an owner") },
    });
  });

  it("refuses a membership change by a coach, of an owner by an admin, and of oneself", async () => {
    const coach = await sockets.connect(gym.coachId);
    const owner = await sockets.connect(gym.ownerId);
    expect(await coach.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.members[0]!.id, status: "frozen" })).toMatchObject({
      ok: false,
    });
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.ownerId, role: "member" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.members[0]!.id })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.members[0]!.id, role: "janitor" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
  });

  it("signs a user out everywhere: every open socket is told and closed, old tokens are refused, a new sign-in works", async () => {
    const memberId = gym.members[1]!.id;
    const token = await signToken(t.server.jwtSecret!, memberId, 3_600);
    const phone = await sockets.connect(memberId);
    const laptop = await sockets.connect(memberId);
    const answer = await phone.command(`user:${memberId}`, "user:signOutEverywhere", {});
    expect(answer).toMatchObject({ ok: true, result: { signedOutAt: expect.any(Number) } });
    for (const s of [phone, laptop]) {
      await eventually(() => expect(s.socket.connected).toBe(false));
      expect(s.frames.join("\n")).toContain("signed out on every device");
    }
    expect(await connectError(t.server.url, token)).toMatchObject({ code: "UNAUTHENTICATED" });
    const http = await fetch(`${t.server.url}/api/me/export.json`, { headers: { authorization: `Bearer ${token}` } });
    expect(http.status).toBe(401);
    const later = await signToken(t.server.jwtSecret!, memberId, 3_600, undefined, Math.floor(Date.now() / 1000) + 2);
    expect(await connectError(t.server.url, later)).toBeNull();
  });

  it("refuses tokens that live longer than MAX_TOKEN_LIFETIME or are issued in the future", async () => {
    const id = gym.members[2]!.id;
    const now = Math.floor(Date.now() / 1000);
    expect(await connectError(t.server.url, await signToken(t.server.jwtSecret!, id, 13 * 3_600))).toMatchObject({
      code: "UNAUTHENTICATED",
    });
    expect(await connectError(t.server.url, await signToken(t.server.jwtSecret!, id, 600, undefined, now + 600))).toMatchObject({
      code: "UNAUTHENTICATED",
    });
    expect(await connectError(t.server.url, await signToken(t.server.jwtSecret!, id, 12 * 3_600))).toBeNull();
  });

  it("regression: an approved deletion left the account working — memberships end, sockets close, every sign-in is ACCOUNT_DELETED", async () => {
    const memberId = gym.members[3]!.id;
    const member = await sockets.connect(memberId);
    expect(await member.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });
    expect(await member.command(`user:${memberId}`, "user:requestDeletion", {})).toMatchObject({ ok: true });
    const owner = await sockets.connect(gym.ownerId);
    expect(await owner.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId })).toMatchObject({ ok: true });
    await eventually(() => expect(member.socket.connected).toBe(false));
    expect(member.frames.join("\n")).toContain("deleted at your request");
    const memberships = await t.server.db.orm.em.fork().find(GymMembershipEntity, { userId: memberId });
    expect(memberships.map((m) => m.status)).toEqual(memberships.map(() => "cancelled"));
    const fresh = await signToken(t.server.jwtSecret!, memberId, 3_600, undefined, Math.floor(Date.now() / 1000) + 2);
    expect(await connectError(t.server.url, fresh)).toMatchObject({ code: "ACCOUNT_DELETED" });
    const http = await fetch(`${t.server.url}/api/me/export.json`, { headers: { authorization: `Bearer ${fresh}` } });
    expect(http.status).toBe(401);
    expect(await http.json()).toMatchObject({ error: { code: "ACCOUNT_DELETED" } });
  });
});
