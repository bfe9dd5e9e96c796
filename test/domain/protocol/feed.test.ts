import { describe, expect, expectTypeOf, it } from "vitest";
import type { FeedEventKind } from "../../../domain/feed/events.js";
import type { ReactionKind } from "../../../domain/feed/social.js";
import { FeedCommandSchemas, type FeedCard } from "../../../domain/protocol/feed.js";

const uuid = "3f1c2a9e-8b7d-4c6e-9a1b-2c3d4e5f6a7b";

describe("feed request schemas", () => {
  it("trims comments and accepts 1 to 500 characters", () => {
    const c = FeedCommandSchemas["feed:comment"];
    expect(c.parse({ eventId: uuid, body: "  nice  " }).body).toBe("nice");
    expect(c.safeParse({ eventId: uuid, body: "x".repeat(500) }).success).toBe(true);
    for (const body of ["", "   ", "x".repeat(501)]) expect(c.safeParse({ eventId: uuid, body }).success).toBe(false);
  });

  it("refuses unknown fields, unknown reaction kinds and non-UUID ids", () => {
    expect(FeedCommandSchemas["feed:react"].safeParse({ eventId: uuid, kind: "kudos", extra: 1 }).success).toBe(false);
    expect(FeedCommandSchemas["feed:react"].safeParse({ eventId: uuid, kind: "love" }).success).toBe(false);
    expect(FeedCommandSchemas["feed:follow"].safeParse({ memberId: "abc", follow: true }).success).toBe(false);
    expect(FeedCommandSchemas["feed:report"].safeParse({ target: "user", id: uuid, reason: "" }).success).toBe(false);
  });

  it("reads ids in one spelling (lower case), as rooms do", () => {
    expect(FeedCommandSchemas["feed:block"].parse({ memberId: uuid.toUpperCase(), block: true }).memberId).toBe(uuid);
  });

  it("types cards with the domain's kinds", () => {
    expectTypeOf<FeedCard["kind"]>().toEqualTypeOf<FeedEventKind>();
    expectTypeOf<FeedCard["mine"]>().toEqualTypeOf<ReactionKind[]>();
  });
});
