/**
 * Issue 18 "Live and audited": what staff change on a member's account — a plan with dues, credits, a freeze, a
 * payment — reaches that member's own room at once (its `account` moves), and `user:me` then says it in words. Only
 * that member's room hears of it: another member's frames never carry it.
 */
import { describe, expect, it } from "vitest";
import type { UserView } from "../../../domain/views/userView.js";
import { gymSuite } from "../../support/gymSuite.js";
import { postgresOrPglite } from "../../support/services.js";
import { eventually, watchRoom } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const date = (at: number) => new Date(at).toISOString().slice(0, 10);

interface Me {
  credits: number | null;
  membership: { status: string; message: string | null; frozenUntil: string | null; planName: string | null; owedCents: number } | null;
}

describe("a member's own account, live", () => {
  const s = gymSuite({ pg, env: { SPOTTER_MODE: "embedded", JWT_SECRET: "l".repeat(40) }, members: 3, staff: true });
  const { sockets } = s;

  it("moves the member's room when staff assign a plan, take payment, adjust credits and freeze, and user:me says each in words", async () => {
    const member = s.gym.members[0]!.id;
    const [mine, other] = await Promise.all([sockets.connect(member), sockets.connect(s.gym.members[1]!.id)]);
    const view = await watchRoom<UserView>(mine, `user:${member}`);
    await other.join(`user:${s.gym.members[1]!.id}`);
    const framesBefore = other.frames.length;
    const me = async () => {
      const a = await mine.command(`user:${member}`, "user:me", {});
      if (!a.ok) throw new Error(JSON.stringify(a));
      return a.result as Me;
    };
    const moved = async (from: number) => eventually(() => expect(view().account ?? 0).toBeGreaterThan(from));

    const plan = await s.owner.command(s.room, "gym:savePlan", {
      name: "Unlimited monthly",
      kind: "unlimited",
      priceCents: 8_900,
      billingPeriod: "month",
      weeklyTarget: 3,
      classTypeIds: [],
    });
    const planId = (plan as { result: { planId: string } }).result.planId;
    const assigned = await s.owner.command(s.room, "gym:assignPlan", { memberId: member, planId, priceCents: 7_500 });
    expect(assigned).toMatchObject({ ok: true });
    await moved(0);
    expect((await me()).membership).toMatchObject({ status: "active", message: null, planName: "Unlimited monthly", owedCents: 7_500 });

    let at = view().account ?? 0;
    const chargeId = (assigned as { result: { chargeId: string } }).result.chargeId;
    expect(await s.desk.command(s.room, "gym:recordPayment", { chargeId, method: "cash" })).toMatchObject({ ok: true });
    await moved(at);
    expect((await me()).membership?.owedCents).toBe(0);

    at = view().account ?? 0;
    expect(await s.owner.command(s.room, "gym:adjustCredits", { memberId: member, amount: 2, reason: "Goodwill" })).toMatchObject({
      ok: true,
    });
    await moved(at);

    at = view().account ?? 0;
    const until = date(Date.now() + 40 * DAY);
    expect(await s.desk.command(s.room, "gym:freezeMember", { memberId: member, until, reason: "Travelling" })).toMatchObject({ ok: true });
    await moved(at);
    const frozen = (await me()).membership;
    expect(frozen).toMatchObject({ status: "frozen", frozenUntil: until });
    expect(frozen?.message).toMatch(/^Membership frozen until \d{1,2} [A-Z][a-z]{2} — ask the front desk\.$/);

    // Privacy: the other member's socket heard nothing of it (no frame names the member or the account).
    expect(other.frames.slice(framesBefore).filter((f) => f.includes(member) || f.includes('"account"'))).toEqual([]);
  });
});
