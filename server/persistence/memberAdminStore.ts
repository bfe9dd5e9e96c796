/** The member-administration part of the admin store (`app/admin/ports.ts` AdminTx): profiles, duplicates, freezes. */
import type { EntityManager } from "@mikro-orm/core";
import type { AdminTx } from "../../app/admin/ports.js";
import { ClassSessionEntity, GymMembershipEntity, UserEntity } from "../db/entities/index.js";

type MemberTx = Pick<
  AdminTx,
  "lookalikes" | "userByEmail" | "addMember" | "memberProfile" | "updateMember" | "setFreeze" | "liveBookings" | "classCoach"
>;

export function memberTx(tx: EntityManager): MemberTx {
  const conn = () => tx.getConnection();
  return {
    async lookalikes(gymId, email, phoneDigits) {
      const rows = await conn().execute<{ id: string; name: string; email: string; phone: string | null }[]>(
        `select u.id, u.name, u.email, u.phone from gym_membership m join app_user u on u.id = m.user_id
          where m.gym_id = ? and (lower(u.email) = ? or (length(?) >= 6 and regexp_replace(coalesce(u.phone, ''), '\\D', '', 'g') = ?))
          order by u.name limit 5`,
        [gymId, email, phoneDigits, phoneDigits],
        "all",
        tx.getTransactionContext(),
      );
      return rows.map((r: { id: string; name: string; email: string; phone: string | null }) => ({
        memberId: r.id,
        name: r.name,
        email: r.email,
        phone: r.phone,
      }));
    },
    async userByEmail(email) {
      const rows = await conn().execute<{ id: string }[]>(
        `select id from app_user where lower(email) = ? limit 1`,
        [email],
        "all",
        tx.getTransactionContext(),
      );
      return rows[0] ?? null;
    },
    async addMember({ userId, gymId, newUser, profile, joinedAt, membershipId }) {
      if (newUser) {
        tx.create(UserEntity, {
          id: userId,
          email: profile.email,
          name: profile.name,
          phone: profile.phone,
          visible: true,
          birthday: profile.birthday,
          emergencyContact: profile.emergencyContact,
        });
      }
      tx.create(GymMembershipEntity, {
        id: membershipId,
        gymId,
        userId,
        role: "member",
        status: "active",
        planId: null,
        credits: null,
        creditsExpireAt: null,
        notes: profile.notes,
        joinedAt,
        frozenUntil: null,
        freezeReason: "",
        tags: profile.tags,
      });
      await tx.flush();
    },
    async memberProfile(gymId, memberId) {
      const m = await tx.findOne(GymMembershipEntity, { gymId, userId: memberId });
      const u = m ? await tx.findOne(UserEntity, { id: memberId }) : null;
      if (!m || !u) return null;
      return {
        name: u.name,
        email: u.email,
        phone: u.phone,
        birthday: u.birthday ?? null,
        emergencyContact: u.emergencyContact ?? "",
        notes: m.notes,
        tags: m.tags ?? [],
      };
    },
    async updateMember(gymId, memberId, c) {
      const user = {
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.phone !== undefined ? { phone: c.phone } : {}),
        ...(c.birthday !== undefined ? { birthday: c.birthday } : {}),
        ...(c.emergencyContact !== undefined ? { emergencyContact: c.emergencyContact } : {}),
      };
      const membership = { ...(c.notes !== undefined ? { notes: c.notes } : {}), ...(c.tags !== undefined ? { tags: c.tags } : {}) };
      if (Object.keys(user).length) await tx.nativeUpdate(UserEntity, { id: memberId }, user);
      if (Object.keys(membership).length) await tx.nativeUpdate(GymMembershipEntity, { gymId, userId: memberId }, membership);
    },
    async liveBookings(gymId, memberId, from, to) {
      const rows = await conn().execute<{ session_id: string }[]>(
        `select b.session_id from booking b join class_session s on s.id = b.session_id
          where b.gym_id = ? and b.member_id = ? and b.status = 'booked' and s.status = 'scheduled' and s.starts_at >= ? and s.starts_at < ?
          order by s.starts_at`,
        [gymId, memberId, new Date(from), new Date(to)],
        "all",
        tx.getTransactionContext(),
      );
      return rows.map((r: { session_id: string }) => r.session_id);
    },
    async classCoach(gymId, sessionId) {
      const s = await tx.findOne(ClassSessionEntity, { id: sessionId, gymId }, { fields: ["coachId"] });
      return s ? { coachId: s.coachId ?? null } : null;
    },
    async setFreeze(gymId, memberId, f) {
      await tx.nativeUpdate(GymMembershipEntity, { gymId, userId: memberId }, f);
    },
  };
}
