/** "Me" requests: who I am in a gym, my account across gyms with streak and adherence, codes and links of mine. */
import { weeklyAdherence } from "../../domain/attendance/adherence.js";
import { streakOf } from "../../domain/attendance/streak.js";
import { standingMessage } from "../../domain/class/guards.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import type { MePorts } from "./ports.js";

const DAY = 86_400_000;

/** Who am I in this gym, with what the client needs to know of its policy. */
export async function gymMe(p: MePorts, c: GymRequest<RequestPayload<"gym:me">>) {
  const { name, gym } = await p.store.gymMe(c.userId, c.gymId);
  return {
    userId: c.userId,
    name,
    role: c.role,
    gymId: c.gymId,
    gymName: gym.name,
    timeZone: gym.timeZone,
    currency: gym.policy.currency,
    requiredConsents: gym.policy.requiredConsents ?? {},
    policy: gym.policy,
    needsSetup: gym.needsSetup === true,
  };
}

/** My account across gyms; streak, adherence, training, credits, status and money owed in my first gym. */
export async function userMe(p: MePorts, c: UserRequest<RequestPayload<"user:me">>) {
  const { userId } = c;
  const me = await p.store.account(userId);
  const first = me.memberships[0];
  const now = p.now();
  let streak = 0;
  let week = { attended: 0, target: 0 };
  let training: { xp: number; workouts: number; streak: number; bestStreak: number } | null = null;
  if (first && first.timeZone !== null) {
    const { attendedAt, loggedAt } = await p.store.activity(first.gymId, userId, now - 400 * DAY);
    const target = first.planId ? await p.store.weeklyTarget(first.planId) : null;
    // One streak for every screen: active days (classes or logged workouts), the same function the log's answer uses.
    const active = streakOf([...attendedAt, ...loggedAt], now, first.timeZone);
    streak = active.current;
    const a = weeklyAdherence(
      attendedAt.map((at) => ({ at })),
      { now, timeZone: first.timeZone, weeklyTarget: target ?? 0, weeks: 1, includeCurrentWeek: true },
    );
    week = { attended: a.attended, target: a.target };
    const progress = await p.store.progress(first.gymId, userId);
    training = progress
      ? { xp: progress.xp, workouts: progress.workouts, streak: active.current, bestStreak: Math.max(progress.bestStreak, active.best) }
      : null;
  }
  const standing = first ? await p.standing(first.gymId, userId) : null;
  return {
    userId,
    name: me.name,
    visible: me.visible,
    gyms: me.memberships.map((m) => ({ gymId: m.gymId, gymName: m.gymName, role: m.role, status: m.status })),
    streak,
    weekAdherence: week,
    training,
    credits: first?.credits ?? null,
    creditsExpireAt: first?.creditsExpireAt ?? null,
    membership:
      first && standing
        ? {
            gymId: first.gymId,
            status: first.status,
            /** "Membership frozen until 12 Jan — ask the front desk."; null while active. */
            message: standingMessage(first.status, standing.frozenUntil),
            frozenUntil: standing.frozenUntil,
            planName: standing.planName,
            owedCents: standing.owedCents,
            currency: standing.currency,
          }
        : null,
  };
}

export const checkInCode = (p: MePorts, c: UserRequest<unknown>) => p.codes.issue(c.userId, p.now());

const feedUrl = (p: MePorts, token: string) => `${p.publicUrl()}/ical/${token}.ics`;

/** My private calendar feed URL (made on first ask). */
export const icalLink = async (p: MePorts, c: UserRequest<unknown>) => ({
  url: feedUrl(p, await p.store.calendarToken(c.userId, false, p.now())),
});

/** Revoke my calendar feed URL and get a new one. */
export const revokeIcal = async (p: MePorts, c: UserRequest<unknown>) => ({
  url: feedUrl(p, await p.store.calendarToken(c.userId, true, p.now())),
});

/** Whether other members see my first name on rosters. */
export async function setVisibility(p: MePorts, c: UserRequest<RequestPayload<"user:setVisibility">>) {
  await p.store.setVisibility(c.userId, c.payload.visible);
  p.userChanged(c.userId);
  return { visible: c.payload.visible };
}
