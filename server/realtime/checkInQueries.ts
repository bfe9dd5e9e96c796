/**
 * Member self check-in settings and the desk screen's presence code (issue 14 item 8), as `gym:*` requests.
 */
import { AdminRoles } from "../../domain/roles.js";
import type { MikroORM } from "@mikro-orm/core";
import { auditStaffWrite } from "../audit/staffAudit.js";
import type { PresenceCodes } from "../checkin/presenceCodes.js";
import { GymEntity } from "../db/entities/index.js";
import type { InGym, QueryHandlers } from "./queryHandler.js";

export function checkInQueries(d: { orm: MikroORM; presence: PresenceCodes; now: () => number; inGym: InGym }): QueryHandlers {
  const { orm, inGym } = d;
  return {
    "gym:presenceCode": inGym("gym:presenceCode", true, async ({ gymId }) => {
      const gym = await orm.em.fork().findOneOrFail(GymEntity, { id: gymId }, { fields: ["memberSelfCheckIn"] });
      return { selfCheckIn: gym.memberSelfCheckIn === true, ...d.presence.current(gymId, d.now()) };
    }),

    "gym:setSelfCheckIn": inGym<{ enabled: boolean }>("gym:setSelfCheckIn", AdminRoles, ({ userId, gymId, payload, commandId }) =>
      orm.em.fork().transactional(async (tx) => {
        const gym = await tx.findOneOrFail(GymEntity, { id: gymId });
        const before = gym.memberSelfCheckIn === true;
        gym.memberSelfCheckIn = payload.enabled;
        await tx.flush();
        await auditStaffWrite(tx, {
          gymId, actorId: userId, action: "gym:setSelfCheckIn", entityType: "gym", entityId: gymId,
          before: { selfCheckIn: before }, after: { selfCheckIn: payload.enabled }, commandId, at: d.now(),
        });
        return { selfCheckIn: payload.enabled };
      }),
    ),
  };
}
