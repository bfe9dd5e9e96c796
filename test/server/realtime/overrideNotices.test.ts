/**
 * Overrides told to the member in words (issue 18 "Overrides with a reason"): a check-in despite a rule — at the desk
 * for open gym and into a booked class — and a credit adjustment each reach the member's inbox, live in their open
 * `user:` room, in the same commit as the change.
 */
import { describe, expect, it } from "vitest";
import type { UserView } from "../../../domain/views/userView.js";
import { gymSuite } from "../../support/gymSuite.js";
import { eventually, watchRoom } from "../../support/sockets.js";

const HOUR = 3_600_000;

describe("overrides told to the member", () => {
  const s = gymSuite({ members: 3 });
  const { sockets } = s;

  /** The member's open app: their `user:` room, kept live by its deltas. */
  async function openInbox(memberId: string) {
    const view = await watchRoom<UserView>(await sockets.connect(memberId), `user:${memberId}`);
    return () => Object.values(view().notices).map((n) => ({ kind: n.kind, text: n.text }));
  }

  it("a desk check-in into a booked class despite the window tells the member the class, the rule and the reason", async () => {
    const m = s.gym.members[0]!;
    const member = await sockets.connect(m.id);
    const soon = await s.gym.addSession({ startsAt: Date.now() + 3 * HOUR, endsAt: Date.now() + 4 * HOUR });
    expect(await member.command(`class:${soon.id}`, "class:book", { sessionId: soon.id })).toMatchObject({ ok: true });
    const inbox = await openInbox(m.id);
    const desk = await sockets.connect(s.gym.deskId);
    const { room } = s;
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "OUTSIDE_CHECK_IN_WINDOW" },
    });
    // Refused without an override: the member is told nothing.
    expect(inbox().filter((n) => n.text.includes("checked you in"))).toEqual([]);
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id, override: { reason: "Came early for physio" } })).toMatchObject({
      ok: true,
      result: { status: "checked_in", override: "Came early for physio" },
    });
    await eventually(() =>
      expect(inbox()).toContainEqual({
        kind: "membership",
        text: expect.stringMatching(
          /^The front desk checked you in to .+ Strength although it was outside the check-in window — reason: Came early for physio$/,
        ),
      }),
    );
  });

  it("an open-gym check-in despite a rule tells the member the rule and the reason", async () => {
    const m = s.gym.members[1]!;
    const inbox = await openInbox(m.id);
    const desk = await sockets.connect(s.gym.deskId);
    const { room } = s;
    // No class booked and not open gym: refused, then let in on an override.
    const refused = (await desk.command(room, "gym:checkIn", { memberId: m.id })) as { result: { status: string; reason: string } };
    expect(refused.result).toMatchObject({ status: "denied", reason: "NO_BOOKING" });
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id, override: { reason: "Trainer session" } })).toMatchObject({
      ok: true,
      result: { status: "checked_in", overridden: "NO_BOOKING" },
    });
    await eventually(() =>
      expect(inbox()).toContainEqual({
        kind: "membership",
        text: "The front desk checked you in for open gym although you weren't booked — reason: Trainer session",
      }),
    );
    const [row] = await s.t.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from notice where user_id = ? and text like 'The front desk checked you in%'`, [
        m.id,
      ]);
    expect(Number(row!.n)).toBe(1);
  });

  it("a credit adjustment tells the member how many, by whom and why; a refused one tells nothing", async () => {
    const m = s.gym.members[2]!;
    const inbox = await openInbox(m.id);
    const owner = await sockets.connect(s.gym.ownerId);
    const { room } = s;
    expect(await owner.command(room, "gym:adjustCredits", { memberId: m.id, amount: 3, reason: "goodwill" })).toMatchObject({
      ok: true,
      result: { credits: 3 },
    });
    expect(await owner.command(room, "gym:adjustCredits", { memberId: m.id, amount: -5, reason: "typo" })).toMatchObject({
      ok: false,
      error: { code: "NO_CREDITS" },
    });
    expect(await owner.command(room, "gym:adjustCredits", { memberId: m.id, amount: -1, reason: "typo" })).toMatchObject({ ok: true });
    await eventually(() => {
      const told = inbox().filter((n) => n.text.includes("class credit"));
      expect(told).toEqual(
        expect.arrayContaining([
          { kind: "membership", text: expect.stringMatching(/^3 class credits added by \S+: goodwill$/) },
          { kind: "membership", text: expect.stringMatching(/^1 class credit taken away by \S+: typo$/) },
        ]),
      );
      expect(told).toHaveLength(2);
    });
  });
});
