/**
 * The demo gym comes with a living feed: milestones next to the training events, follows around the demo member,
 * reactions and comments on the newest cards, a blocked pair and an open report for the staff — and seeding twice adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import type { FeedPage } from "../../../domain/protocol/feed.js";
import { FeedEventEntity, FeedFollowEntity, FeedReactionEntity, GymMembershipEntity } from "../../../server/db/entities/index.js";
import { seedFeed } from "../../../server/demo/seedFeed.js";
import { DEMO_GYM_ID, demoId } from "../../../server/demo/seedDemo.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};

describe("the demo gym's feed", () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ SEED_DEMO: "true" });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it("shows the demo member a page with milestones, reactions, comments and people they follow", async () => {
    const me = demoId("user:member1");
    const s = await connectAs(t.server, me);
    const staff = await connectAs(t.server, demoId("user:coach1"));
    try {
      const page = ok<FeedPage>(await s.command(`gym:${DEMO_GYM_ID}`, "feed:watch", {}));
      expect(page.cards.length).toBeGreaterThanOrEqual(20);
      expect(page.cards.some((c) => c.kind === "checkin_milestone")).toBe(true);
      expect(page.cards.some((c) => c.reactions.kudos + c.reactions.fire + c.reactions.strong > 0)).toBe(true);
      expect(page.cards.some((c) => c.comments > 0)).toBe(true);
      expect(await t.server.db.orm.em.fork().count(FeedFollowEntity, { followerId: me })).toBe(10);
      const items = ok<{ items: unknown[] }>(await staff.command(`gym:${DEMO_GYM_ID}`, "gym:moderationItems", {}));
      expect(items.items).toHaveLength(1);
    } finally {
      s.close();
      staff.close();
    }
  });

  it("adds no feed event, follow or reaction when seeded again", async () => {
    const em = t.server.db.orm.em.fork();
    const count = async () => [
      await em.count(FeedEventEntity, {}),
      await em.count(FeedFollowEntity, {}),
      await em.count(FeedReactionEntity, {}),
    ];
    const before = await count();
    // The same members in the same order as the first seed (the active members, by their demo number).
    const active = new Set(
      (await em.find(GymMembershipEntity, { gymId: DEMO_GYM_ID, role: "member", status: "active", credits: null })).map((m) => m.userId),
    );
    const ordered = Array.from({ length: 200 }, (_, i) => demoId(`user:member${i + 1}`)).filter((id) => active.has(id));
    await seedFeed(t.server.db.orm, DEMO_GYM_ID, ordered, Date.now());
    expect(await count()).toEqual(before);
  });
});
