import { myBookingOf, myPlaceOf, type UserView } from "../../domain/views/userView.js";
import type { UserStore } from "../../rooms/UserRoom.js";
import {
  BookingEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  GymEntity,
  LocationEntity,
  UserEntity,
  WaitlistEntryEntity,
} from "../db/entities/index.js";
import type { StoreDeps } from "./classStore.js";
import { loadInbox, markRead, pageInbox, unreadAmong } from "./noticeRows.js";

const DAY = 86_400_000;

/** User rooms: a member's bookings from 30 days back to 30 days ahead, open waitlist places, and their inbox. */
export function userStore(deps: StoreDeps): UserStore {
  const { orm } = deps;
  return {
    async loadUser(_room, userId) {
      const em = orm.em.fork();
      if (!(await em.findOne(UserEntity, { id: userId }))) return null;
      const now = deps.now();
      const [bookings, entries, inbox] = await Promise.all([
        em.find(BookingEntity, { memberId: userId, status: { $ne: "cancelled" } }, { orderBy: { createdAt: "desc" }, limit: 200 }),
        em.find(WaitlistEntryEntity, { memberId: userId, status: { $in: ["waiting", "offered"] } }),
        loadInbox(em, userId),
      ]);
      const sessionIds = [...new Set([...bookings.map((b) => b.sessionId), ...entries.map((e) => e.sessionId)])];
      const sessions = sessionIds.length
        ? await em.find(ClassSessionEntity, { id: { $in: sessionIds }, startsAt: { $gte: now - 30 * DAY, $lt: now + 30 * DAY } })
        : [];
      const gymIds = [...new Set(sessions.map((s) => s.gymId))];
      const [gyms, types, locations] = gymIds.length
        ? await Promise.all([
            em.find(GymEntity, { id: { $in: gymIds } }),
            em.find(ClassTypeEntity, { gymId: { $in: gymIds } }),
            em.find(LocationEntity, { gymId: { $in: gymIds } }),
          ])
        : [[], [], []];
      const sessionById = new Map(sessions.map((s) => [s.id, s]));
      const gymById = new Map(gyms.map((g) => [g.id, g]));
      const typeName = new Map(types.map((t) => [t.id, t.name]));
      const locName = new Map(locations.map((l) => [l.id, l.name]));
      const view: UserView = {
        bookings: {},
        waitlist: {},
        notices: Object.fromEntries(inbox.notices.map((n) => [n.id, n])),
        unread: inbox.unread,
      };
      for (const b of bookings) {
        const s = sessionById.get(b.sessionId);
        const g = s && gymById.get(s.gymId);
        if (!s || !g) continue;
        view.bookings[b.id] = myBookingOf(
          b,
          s,
          { className: typeName.get(s.classTypeId) ?? "Class", locationName: locName.get(s.locationId) ?? "" },
          g.policy,
        );
      }
      for (const e of entries) {
        const s = sessionById.get(e.sessionId);
        if (!s) continue;
        view.waitlist[e.id] = myPlaceOf(e, s, typeName.get(s.classTypeId) ?? "Class");
      }
      return { state: view, fence: 0, processed: [] };
    },

    async markRead(userId, changes) {
      await orm.em.fork().transactional(async (tx) => {
        for (const c of changes) await markRead(tx, userId, c.type === "readAll" ? null : c.ids, c.at);
      });
    },

    pageInbox: (userId, before, limit) => pageInbox(orm.em.fork(), userId, before, limit),
    unreadAmong: (userId, ids) => unreadAmong(orm.em.fork(), userId, ids),
  };
}
