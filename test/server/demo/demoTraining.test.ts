/**
 * The demo gym comes with training data the apps can show: logged workouts with PRs, two running
 * challenges with members (the demo member among them), feed events, and a held submission to review.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { DEMO_GYM_ID, demoId } from "../../../server/demo/seedDemo.js";
import {
  ClassSessionEntity,
  FeedEventEntity,
  GymMembershipEntity,
  UserEntity,
  WorkoutLogEntity,
  WorkoutSetEntity,
} from "../../../server/db/entities/index.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};

describe("the demo gym's training data", () => {
  let t: TestServer;
  let db: SuiteDatabase;

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "d".repeat(40), SEED_DEMO: "true" });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it("names every member uniquely, and has something happening whenever it is opened: a session running now and a class within the hour (issue 19 item 11)", async () => {
    const em = t.server.db.orm.em.fork();
    const people = await em.find(GymMembershipEntity, { gymId: DEMO_GYM_ID });
    const names = (await em.find(UserEntity, { id: { $in: people.map((p) => p.userId) } })).map((u) => u.name);
    expect(names.length).toBeGreaterThan(200);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const now = Date.now();
    const sessions = await em.find(ClassSessionEntity, { gymId: DEMO_GYM_ID, status: "scheduled" });
    expect(
      sessions.some((s) => s.startsAt <= now && s.endsAt > now),
      "a session running now",
    ).toBe(true);
    expect(
      sessions.some((s) => s.startsAt > now && s.startsAt <= now + 3_600_000),
      "a class starting within the hour",
    ).toBe(true);
  });

  it("has workouts with PR sets, PR and workout feed events, challenges with members and a held submission", async () => {
    const em = t.server.db.orm.em.fork();
    expect(await em.count(WorkoutLogEntity, { gymId: DEMO_GYM_ID })).toBeGreaterThanOrEqual(25);
    expect(await em.count(WorkoutSetEntity, { isPr: true })).toBeGreaterThan(15);
    expect(await em.count(FeedEventEntity, { gymId: DEMO_GYM_ID, kind: "pr" })).toBeGreaterThanOrEqual(8);

    const member = await connectAs(t.server, demoId("user:member1"));
    const coach = await connectAs(t.server, demoId("user:coach1"));
    try {
      const mine = ok<{ challenges: { title: string; open: boolean; participants: number; me: { progress: number } | null }[] }>(
        await member.command(`gym:${DEMO_GYM_ID}`, "gym:challenges", {}),
      );
      expect(mine.challenges.map((c) => c.title).sort()).toEqual(["100 km rowed", "12 classes in 4 weeks"]);
      for (const c of mine.challenges) {
        expect(c.open).toBe(true);
        expect(c.me).not.toBeNull();
        expect(c.participants).toBeGreaterThanOrEqual(8);
      }
      expect(mine.challenges.find((c) => c.title === "100 km rowed")!.me!.progress).toBeGreaterThan(0);
      const staff = ok<{ held: { amount: number }[] }>(await coach.command(`gym:${DEMO_GYM_ID}`, "gym:challenges", {}));
      expect(staff.held).toEqual([expect.objectContaining({ amount: 60_000 })]);
      const volume = ok<{ entries: unknown[] }>(
        await member.command(`gym:${DEMO_GYM_ID}`, "gym:leaderboard", { board: "volume", period: "month", offset: 0 }),
      );
      expect(volume.entries.length).toBeGreaterThan(0);
    } finally {
      member.close();
      coach.close();
    }
  });
});
