/** The gym's self check-in switch ({@link SelfCheckInSettings}) over PostgreSQL, audited with the change. */
import type { MikroORM } from "@mikro-orm/core";
import type { SelfCheckInSettings } from "../../app/checkin/ports.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { GymEntity } from "../db/entities/index.js";

export function selfCheckInSettings(orm: MikroORM): SelfCheckInSettings {
  return {
    enabled: async (gymId) =>
      (await orm.em.fork().findOneOrFail(GymEntity, { id: gymId }, { fields: ["memberSelfCheckIn"] })).memberSelfCheckIn === true,
    set: (gymId, enabled, by) =>
      orm.em.fork().transactional(async (tx) => {
        const gym = await tx.findOneOrFail(GymEntity, { id: gymId });
        const before = gym.memberSelfCheckIn === true;
        gym.memberSelfCheckIn = enabled;
        await tx.flush();
        await auditStaffWrite(tx, {
          gymId,
          actorId: by.actorId,
          action: "gym:setSelfCheckIn",
          entityType: "gym",
          entityId: gymId,
          before: { selfCheckIn: before },
          after: { selfCheckIn: enabled },
          commandId: by.commandId,
          at: by.at,
        });
      }),
  };
}
