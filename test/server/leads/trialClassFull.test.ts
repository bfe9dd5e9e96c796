/**
 * Issue 22, a trial request that arrives after the class filled, on PGlite (the embedded database, where requests
 * run one after another): the lead is kept — stage new, the refusal on its timeline — and the person is told the
 * class is full and to pick another, as on PostgreSQL when two people race for the last spot (trialForm.test.ts).
 * Regression: the request was answered from the page's list of classes with room, so no lead was made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingEntity, LeadEntity, LeadTouchEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const MIN = 60_000;

describe("a trial request for a class that filled meanwhile (PGlite)", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const em = () => t.server.db.orm.em.fork();
  const post = (n: string, sessionId: string) =>
    fetch(`${t.server.url}/trial/${gym.gymId}`, {
      method: "POST",
      body: new URLSearchParams({ name: `Trial ${n}`, email: `trial-${n}@example.com`, sessionId, interest: "CrossFit" }),
      redirect: "manual",
    });

  beforeAll(async () => {
    // No DATABASE_URL: the server runs on PGlite in its own data directory, whatever the environment offers.
    t = await startTestServer({ SPOTTER_MODE: "embedded", JWT_SECRET: "p".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 1, startsInMinutes: 10 });
    const owner = await sockets.connect(gym.ownerId);
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setTrialForm", { enabled: true, embedOrigins: [] })).toMatchObject({ ok: true });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  it("keeps the lead with the refusal on its timeline and answers 'class full, pick another'", async () => {
    expect(t.config.DATABASE_URL).toBeUndefined();
    const last = await gym.addSession({ startsAt: Date.now() + 60 * MIN, endsAt: Date.now() + 120 * MIN, capacity: 1 });
    const first = await post("dee", last.id);
    expect(first.status).toBe(200);
    const late = await post("eve", last.id);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("That class is full now — pick another one.");
    const lead = await em().findOneOrFail(LeadEntity, { gymId: gym.gymId, email: "trial-eve@example.com" });
    expect(lead).toMatchObject({ stage: "new", source: "website", memberId: expect.any(String) });
    const touches = await em().find(LeadTouchEntity, { leadId: lead.id }, { orderBy: { at: "asc" } });
    expect(touches.map((x) => [x.kind, x.note])).toEqual([
      ["created", "Asked for a trial on the website"],
      ["note", expect.stringMatching(/^Trial not booked \(Strength, .*\): That class is full now — pick another one\.$/)],
    ]);
    expect(await em().count(BookingEntity, { sessionId: last.id, status: "booked" })).toBe(1);
    expect(await em().count(BookingEntity, { sessionId: last.id, memberId: lead.memberId! })).toBe(0);
  });

  it("still makes no lead for a class the gym doesn't offer", async () => {
    const res = await post("fay", gym.gymId);
    expect(res.status).toBe(409);
    expect(await em().count(LeadEntity, { gymId: gym.gymId, email: "trial-fay@example.com" })).toBe(0);
  });
});
