/**
 * Issue 18 "Done when": the demo gym is set up through the wizard's own use cases — its details, opening hours and
 * both locations are audited writes by its owner, with the ids the rest of the demo points at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity, LocationEntity } from "../../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../../server/demo/seedDemo.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

describe("the demo gym's set-up", () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ SEED_DEMO: "true" });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it("is made by gym:saveSetup and gym:saveLocation as its owner, and is set up (no wizard)", async () => {
    const em = t.server.db.orm.em.fork();
    const audit = await em.find(
      AuditLogEntity,
      { gymId: DEMO_GYM_ID, action: { $in: ["gym:saveSetup", "gym:saveLocation"] } },
      { orderBy: { pos: "asc" } },
    );
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["gym:saveSetup", demoId("user:owner")],
      ["gym:saveLocation", demoId("user:owner")],
      ["gym:saveLocation", demoId("user:owner")],
    ]);
    expect((await em.find(LocationEntity, { gymId: DEMO_GYM_ID }, { orderBy: { name: "asc" } })).map((l) => l.id)).toEqual([
      demoId("loc:Downtown"),
      demoId("loc:Riverside"),
    ]);
    const owner = await connectAs(t.server, demoId("user:owner"));
    try {
      expect(await owner.command(`gym:${DEMO_GYM_ID}`, "gym:me", {})).toMatchObject({
        ok: true,
        result: { gymName: "Spotter Demo Box", needsSetup: false },
      });
      expect(await owner.command(`gym:${DEMO_GYM_ID}`, "gym:setup", {})).toMatchObject({
        ok: true,
        result: {
          timeZone: "Europe/Berlin",
          currency: "EUR",
          locale: "en-GB",
          openingHours: { "1": [{ opens: "06:00", closes: "21:30" }] },
          locations: [{ name: "Downtown" }, { name: "Riverside" }],
        },
      });
    } finally {
      owner.close();
    }
  });
});
