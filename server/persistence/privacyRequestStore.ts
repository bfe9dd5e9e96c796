/** The privacy requests' {@link PrivacyStore} over PostgreSQL. */
import type { MikroORM } from "@mikro-orm/core";
import type { PrivacyStore } from "../../app/privacy/ports.js";
import { DomainError } from "../../domain/errors.js";
import { GymMembershipEntity } from "../db/entities/index.js";
import { exportUserData } from "./privacyExport.js";
import { approveDeletion, recordConsent, requestDeletion, setLegalHold } from "./privacyStore.js";

export function privacyRequestStore(orm: MikroORM): PrivacyStore {
  return {
    exportData: (userId, now) => exportUserData(orm, userId, now),
    requestDeletion: (userId, now) => requestDeletion(orm, userId, now),
    recordConsent: (userId, kind, version, now) => recordConsent(orm, userId, kind, version, now),
    async approveDeletion(gymId, memberId, actorId, now) {
      const outcome = await approveDeletion(orm, gymId, memberId, actorId, now);
      return outcome.ok ? outcome.result : new DomainError(outcome.code, outcome.message);
    },
    setLegalHold: (gymId, memberId, hold, reason, actorId, now) => setLegalHold(orm, gymId, memberId, hold, reason, actorId, now),
    isMember: async (gymId, userId) => (await orm.em.fork().count(GymMembershipEntity, { gymId, userId })) > 0,
  };
}
