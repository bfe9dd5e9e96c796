import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ClassSessionEntity, CheckInEntity, GymEntity, UserEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID } from "../../server/demo/seedDemo.js";
import type { SpotterServer } from "../../server/createServer.js";
import { makeTempDir, startTestServer } from "../support/services.js";

async function snapshot(server: SpotterServer) {
  const em = server.db.orm.em.fork();
  const sessions = await em.find(ClassSessionEntity, { gymId: DEMO_GYM_ID }, { orderBy: { id: "asc" } });
  return {
    gyms: (await em.find(GymEntity, {})).map((g) => g.id),
    users: await em.count(UserEntity, {}),
    sessionIds: sessions.map((s) => s.id),
  };
}

describe("restarting an embedded node on the same DATA_DIR", () => {
  const dataDir = makeTempDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps its data and secret and does not seed the demo gym again", async () => {
    const day = 86_400_000;
    const first = await startTestServer({ DATA_DIR: dataDir, SEED_DEMO: "true" }, { now: () => Date.UTC(2026, 10, 2, 9) });
    const before = await snapshot(first.server);
    const checkInId = randomUUID();
    await first.server.db.orm.em.fork().insert(CheckInEntity, {
      id: checkInId,
      gymId: DEMO_GYM_ID,
      memberId: null,
      sessionId: null,
      source: "desk",
      result: "denied",
      reason: "UNKNOWN_MEMBER",
      at: Date.UTC(2026, 10, 2, 9),
      byUserId: null,
    });
    const secret = first.server.jwtSecret;
    await first.cleanup();

    // A different clock would put a re-seeded demo's sessions (and their ids) elsewhere.
    const second = await startTestServer({ DATA_DIR: dataDir, SEED_DEMO: "true" }, { now: () => Date.UTC(2026, 10, 2, 9) + 3 * day });
    try {
      expect(before.gyms).toEqual([DEMO_GYM_ID]);
      expect(before.sessionIds.length).toBeGreaterThan(0);
      expect(await snapshot(second.server)).toEqual(before);
      expect(await second.server.db.orm.em.fork().findOne(CheckInEntity, { id: checkInId })).toMatchObject({ reason: "UNKNOWN_MEMBER" });
      expect(second.server.jwtSecret).toBe(secret);
    } finally {
      await second.cleanup();
    }
  }, 120_000); // two embedded starts with the demo seed in a row
});
