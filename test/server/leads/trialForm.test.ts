/**
 * Issue 22, the public trial form: a gym's page (framed only by the sites it lists) books a free trial class through
 * the class room — the lead, the trial plan, the booking marked "Trial" on the roster, the confirmation mail; a full
 * class refuses, a honeypot stores nothing, addresses are rate-limited; checking the trial in moves the lead.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttendanceEventEntity,
  BookingEntity,
  GymMembershipEntity,
  LeadEntity,
  LeadTouchEntity,
  MembershipPlanEntity,
  UserEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const MIN = 60_000;

describe.skipIf(!pg.ok)("the public trial form (PostgreSQL)", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  const em = () => t.server.db.orm.em.fork();
  const url = () => `${t.server.url}/trial/${gym.gymId}`;
  const post = (fields: Record<string, string>) => fetch(url(), { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  const person = (n: string, sessionId: string) => ({
    name: `Trial ${n}`,
    email: `trial-${n}@example.com`,
    sessionId,
    interest: "CrossFit",
  });

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    // Behind one trusted proxy: the spam test below speaks from many addresses through `X-Forwarded-For`.
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "t".repeat(40), TRUST_PROXY: "1" });
    gym = await aGym(t.server.db.orm, { members: 1, startsInMinutes: 10 });
    owner = await sockets.connect(gym.ownerId);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("is not served until switched on, then only the gym's sites may frame it; every other route stays unframeable", async () => {
    expect((await fetch(url())).status).toBe(404);
    expect(
      await owner.command(`gym:${gym.gymId}`, "gym:setTrialForm", {
        enabled: true,
        embedOrigins: ["https://gym.example/", "javascript:alert(1)"],
      }),
    ).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(
      await owner.command(`gym:${gym.gymId}`, "gym:setTrialForm", { enabled: true, embedOrigins: ["https://gym.example/"] }),
    ).toMatchObject({ ok: true, result: { enabled: true, embedOrigins: ["https://gym.example"] } });
    const res = await fetch(url());
    expect(res.status).toBe(200);
    // Only the sites the gym lists: not Spotter's own origin either.
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors https:\/\/gym\.example(;|$)/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(await res.text()).toContain(gym.sessionId);
    const other = await fetch(`${t.server.url}/api/checkin-keys.json`);
    expect(other.headers.get("x-frame-options")).toBe("DENY");
    expect(other.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const desk = await sockets.connect(gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:setTrialForm", { enabled: false, embedOrigins: [] })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("books the trial through the class room: a website lead, the trial plan, 'Trial' on the roster, a confirmation mail", async () => {
    const coach = await sockets.connect(gym.coachId);
    await coach.join(`class:${gym.sessionId}`);
    const res = await post(person("ana", gym.sessionId));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You're booked!");
    const lead = await em().findOneOrFail(LeadEntity, { gymId: gym.gymId, email: "trial-ana@example.com" });
    expect(lead).toMatchObject({
      name: "Trial ana",
      source: "website",
      stage: "tour_booked",
      interest: "CrossFit",
      memberId: expect.any(String),
    });
    const membership = await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: lead.memberId! });
    expect((await em().findOneOrFail(MembershipPlanEntity, { id: membership.planId! })).kind).toBe("trial");
    expect(membership).toMatchObject({ status: "active", credits: 0 });
    expect(await em().findOneOrFail(BookingEntity, { sessionId: gym.sessionId, memberId: lead.memberId! })).toMatchObject({
      status: "booked",
    });
    // Live on the coach's roster, marked as a trial.
    await eventually(() => {
      const line = coach.deltas.flatMap((d) => JSON.stringify(d)).join("");
      expect(line).toContain(lead.memberId!);
      expect(line).toContain('"trial":true');
    });
    const [mail] = await em()
      .getConnection()
      .execute(`select template, subject from mail_outbox where to_address = ?`, ["trial-ana@example.com"]);
    expect(mail).toMatchObject({ template: "trial_confirmation", subject: expect.stringContaining("free trial") });
  });

  it("moves the lead to 'trial' when the trial is checked in, on every watching board", async () => {
    const lead = await em().findOneOrFail(LeadEntity, { gymId: gym.gymId, email: "trial-ana@example.com" });
    await owner.command(`gym:${gym.gymId}`, "gym:leads", { watch: true });
    const heard: unknown[] = [];
    owner.socket.on("leads:changed", (c: unknown) => heard.push(c));
    expect(
      await owner.command(`class:${gym.sessionId}`, "class:checkIn", { sessionId: gym.sessionId, memberId: lead.memberId, source: "desk" }),
    ).toMatchObject({ ok: true });
    await eventually(async () => expect((await em().findOneOrFail(LeadEntity, { id: lead.id })).stage).toBe("trial"));
    expect(await em().count(LeadTouchEntity, { leadId: lead.id, kind: "trial" })).toBe(2);
    await eventually(() => expect(heard).toContainEqual({ gymId: gym.gymId }));
    // Converting keeps the account the trial made, with its history.
    expect(await owner.command(`gym:${gym.gymId}`, "gym:convertLead", { leadId: lead.id })).toEqual({
      ok: true,
      result: { leadId: lead.id, memberId: lead.memberId },
    });
    // One account, now a member of the gym, whose history is the trial's: the checked-in booking and the visit are theirs.
    expect(await em().count(UserEntity, { email: "trial-ana@example.com" })).toBe(1);
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: lead.memberId! })).toMatchObject({
      role: "member",
      status: "active",
    });
    expect(await em().find(BookingEntity, { gymId: gym.gymId, memberId: lead.memberId! })).toEqual([
      expect.objectContaining({ sessionId: gym.sessionId, status: "checked_in" }),
    ]);
    expect(await em().find(AttendanceEventEntity, { gymId: gym.gymId, memberId: lead.memberId! })).toEqual([
      expect.objectContaining({ sessionId: gym.sessionId }),
    ]);
    // The desk's member profile shows the member with the trial class checked in: nothing to retype.
    const profile = (await owner.command(`gym:${gym.gymId}`, "gym:memberProfile", { memberId: lead.memberId })) as {
      ok: true;
      result: { name: string; email: string; upcoming: { status: string }[]; history: { status: string }[] };
    };
    expect(profile.result).toMatchObject({ name: "Trial ana", email: "trial-ana@example.com", role: "member" });
    expect([...profile.result.upcoming, ...profile.result.history]).toContainEqual(expect.objectContaining({ status: "checked_in" }));
  });

  it("respects capacity: of two people racing for the last spot, one is booked and the other is told to pick another class", async () => {
    const last = await gym.addSession({ startsAt: Date.now() + 60 * MIN, endsAt: Date.now() + 120 * MIN, capacity: 1 });
    const [a, b] = await Promise.all([post(person("bo", last.id)), post(person("cy", last.id))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await em().count(BookingEntity, { sessionId: last.id, status: "booked" })).toBe(1);
    const refused = a.status === 409 ? a : b;
    // The same words and the same lead as for a request that comes after the class filled (trialClassFull.test.ts).
    expect(await refused.text()).toContain("That class is full now — pick another one.");
    // Both are leads; the refused one's timeline says why.
    expect(await em().count(LeadEntity, { gymId: gym.gymId, email: { $in: ["trial-bo@example.com", "trial-cy@example.com"] } })).toBe(2);
  });

  it("thanks a bot that fills the honeypot and stores nothing", async () => {
    const res = await post({ ...person("bot", gym.sessionId), website: "http://spam.example" });
    expect(res.status).toBe(200);
    expect(await em().count(LeadEntity, { email: "trial-bot@example.com" })).toBe(0);
  });

  it("answers a bad request in words, and limits requests per address", async () => {
    const bad = await post({ name: "", email: "nope", sessionId: randomUUID() });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Check the email address");
    let limited: Response | undefined;
    for (let i = 0; i < 8 && !limited; i++) {
      const r = await post({ name: "", email: "nope", sessionId: randomUUID() });
      if (r.status === 429) limited = r;
    }
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("caps one gym's form across addresses: a flood from many addresses gets 429 from the gym's budget, other gyms' forms stay open", async () => {
    const [flooded, calm] = await Promise.all([aGym(t.server.db.orm, { members: 1 }), aGym(t.server.db.orm, { members: 1 })]);
    for (const g of [flooded, calm]) {
      const o = await sockets.connect(g.ownerId);
      expect(await o.command(`gym:${g.gymId}`, "gym:setTrialForm", { enabled: true, embedOrigins: [] })).toMatchObject({ ok: true });
    }
    // Every request from an address of its own (each far below the per-address budget of 5), each a cheap invalid one.
    const net = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const from = (gymId: string, address: string) =>
      fetch(`${t.server.url}/trial/${gymId}`, {
        method: "POST",
        body: new URLSearchParams({ name: "", email: "nope", sessionId: randomUUID() }),
        headers: { "x-forwarded-for": address },
      });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 1; i <= 60 && !limited; i++) {
      const r = await from(flooded.gymId, `${net}.${i}`);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
      else await r.text();
    }
    // The gym's burst (30) went through, as validation errors; then the gym's budget said no to a fresh address.
    expect(limited?.status).toBe(429);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThanOrEqual(30);
    expect(limited!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await limited!.text()).toContain("Too many requests");
    expect((await from(flooded.gymId, `${net}.200`)).status).toBe(429);
    expect((await from(calm.gymId, `${net}.201`)).status).toBe(400);
    // A gym that lists no site: nobody may frame its form.
    expect((await fetch(`${t.server.url}/trial/${calm.gymId}`)).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
