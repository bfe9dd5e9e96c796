/** The "me" requests' {@link MeStore} over PostgreSQL (each call on its own `em.fork()`). */
import { randomBytes } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { MeStore } from "../../app/me/ports.js";
import {
  AttendanceEventEntity,
  CalendarFeedEntity,
  GymEntity,
  GymMembershipEntity,
  MemberProgressEntity,
  MembershipPlanEntity,
  UserEntity,
  WorkoutLogEntity,
} from "../db/entities/index.js";

export function meStore(orm: MikroORM): MeStore {
  const em = () => orm.em.fork();
  return {
    async gymMe(userId, gymId) {
      const e = em();
      const [user, gym] = await Promise.all([e.findOneOrFail(UserEntity, { id: userId }), e.findOneOrFail(GymEntity, { id: gymId })]);
      return { name: user.name, gym: { name: gym.name, timeZone: gym.timeZone, policy: gym.policy, needsSetup: gym.needsSetup === true } };
    },

    async account(userId) {
      const e = em();
      const user = await e.findOneOrFail(UserEntity, { id: userId });
      const memberships = await e.find(GymMembershipEntity, { userId });
      const gyms = await e.find(GymEntity, { id: { $in: memberships.map((m) => m.gymId) } });
      return {
        name: user.name,
        visible: user.visible,
        memberships: memberships.map((m) => {
          const gym = gyms.find((g) => g.id === m.gymId);
          return {
            gymId: m.gymId,
            gymName: gym?.name ?? "",
            timeZone: gym?.timeZone ?? null,
            role: m.role,
            status: m.status,
            planId: m.planId,
            credits: m.credits,
            creditsExpireAt: m.creditsExpireAt,
          };
        }),
      };
    },

    async activity(gymId, userId, since) {
      const e = em();
      const attendance = await e.find(AttendanceEventEntity, { gymId, memberId: userId, at: { $gte: since } });
      const logs = await e.find(WorkoutLogEntity, { gymId, memberId: userId, performedAt: { $gte: since } }, { fields: ["performedAt"] });
      return { attendedAt: attendance.map((a) => a.at), loggedAt: logs.map((l) => l.performedAt) };
    },

    weeklyTarget: async (planId) => (await em().findOne(MembershipPlanEntity, { id: planId }))?.weeklyTarget ?? null,

    async progress(gymId, userId) {
      const p = await em().findOne(MemberProgressEntity, { gymId, memberId: userId });
      return p ? { xp: p.xp, workouts: p.workouts, bestStreak: p.bestStreak } : null;
    },

    async setVisibility(userId, visible) {
      await em().nativeUpdate(UserEntity, { id: userId }, { visible });
    },

    async calendarToken(userId, replace, now) {
      const e = em();
      const existing = await e.findOne(CalendarFeedEntity, { userId });
      if (existing && !replace) return existing.token;
      const token = randomBytes(24).toString("base64url");
      if (existing) e.assign(existing, { token, createdAt: now });
      else e.create(CalendarFeedEntity, { userId, token, createdAt: now });
      await e.flush();
      return token;
    },
  };
}
