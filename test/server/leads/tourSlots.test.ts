/**
 * Issue 22, tours: staff open tour slots with a capacity; the public form books one for a lead (no account, no
 * class) — "tour booked" on the pipeline, the booking on its timeline, a confirmation mail — and the capacity holds
 * when requests race; a slot closed (capacity 0) is no longer offered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeadEntity, LeadTouchEntity, TourBookingEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const HOUR = 3_600_000;

describe.skipIf(!pg.ok)("tour slots on the public form (PostgreSQL)", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let desk: TestSocket;
  let room: string;
  let slotId = "";
  const em = () => t.server.db.orm.em.fork();
  const post = (fields: Record<string, string>) =>
    fetch(`${t.server.url}/trial/${gym.gymId}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  const person = (n: string) => ({ name: `Tour ${n}`, email: `tour-${n}@example.com`, tourSlotId: slotId, sessionId: "" });

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "u".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 1, startsInMinutes: 24 * 60 });
    room = `gym:${gym.gymId}`;
    const owner = await sockets.connect(gym.ownerId);
    expect(await owner.command(room, "gym:setTrialForm", { enabled: true, embedOrigins: [] })).toMatchObject({ ok: true });
    desk = await sockets.connect(gym.deskId);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("offers a slot the desk opens, next to the trial classes", async () => {
    expect(await desk.command(room, "gym:saveTourSlot", { startsAt: Date.now() - HOUR, capacity: 2 })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    const saved = (await desk.command(room, "gym:saveTourSlot", { startsAt: Date.now() + 26 * HOUR, capacity: 2 })) as {
      ok: true;
      result: { slotId: string };
    };
    slotId = saved.result.slotId;
    const page = await (await fetch(`${t.server.url}/trial/${gym.gymId}`)).text();
    expect(page).toContain(`<option value="${slotId}"`);
    expect(page).toContain("(2 left)");
    expect(page).toContain(gym.sessionId);
  });

  it("books two of three racing requests on a slot of two; the third is told it is full", async () => {
    const answers = await Promise.all(["a", "b", "c"].map((n) => post(person(n))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 409]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(bodies.filter((b) => b.includes("That tour is full — pick another time."))).toHaveLength(1);
    expect(await em().count(TourBookingEntity, { slotId })).toBe(2);
    const booked = await em().find(LeadEntity, { gymId: gym.gymId, stage: "tour_booked" });
    expect(booked).toHaveLength(2);
    expect(booked.every((l) => l.source === "website" && l.memberId === null)).toBe(true);
    expect(await em().count(LeadTouchEntity, { leadId: booked[0]!.id, kind: "tour" })).toBe(1);
    const mails = await em()
      .getConnection()
      .execute<{ template: string }[]>(`select template from mail_outbox where to_address like 'tour-%'`);
    expect(mails.map((m: { template: string }) => m.template)).toEqual(["tour_confirmation", "tour_confirmation"]);
    const list = (await desk.command(room, "gym:tourSlots", {})) as {
      ok: true;
      result: { slots: { slotId: string; leads: { name: string }[] }[] };
    };
    expect(
      list.result.slots
        .find((s) => s.slotId === slotId)!
        .leads.map((l) => l.name)
        .sort(),
    ).toEqual(booked.map((l) => l.name).sort());
  });

  it("keeps the capacity above the people booked, and closes a slot at 0 (no longer offered)", async () => {
    const startsAt = Date.now() + 26 * HOUR;
    expect(await desk.command(room, "gym:saveTourSlot", { slotId, startsAt, capacity: 1 })).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: "2 people are booked on this tour — the capacity can't go below that (0 closes it)." },
    });
    expect(await desk.command(room, "gym:saveTourSlot", { slotId, startsAt, capacity: 0 })).toEqual({ ok: true, result: { slotId } });
    expect(await (await fetch(`${t.server.url}/trial/${gym.gymId}`)).text()).not.toContain(slotId);
    const late = await post(person("d"));
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("That tour isn&#39;t offered any more");
  });

  it("asks for a class or a tour, not both", async () => {
    const both = await post({ ...person("e"), sessionId: gym.sessionId });
    expect(both.status).toBe(400);
    expect(await both.text()).toContain("Pick a class or a tour");
  });
});
