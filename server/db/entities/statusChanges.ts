import { EntitySchema } from "@mikro-orm/core";
import type { MembershipStatus } from "../../../domain/model.js";
import { EpochMsType } from "../EpochMsType.js";

/** One change of a membership's status. */
export interface MembershipStatusChange {
  id: string;
  gymId: string;
  memberId: string;
  fromStatus: MembershipStatus;
  toStatus: MembershipStatus;
  at: number;
}

/**
 * Membership status changes of the last day and a half (domain `statusAsOf`): written by a trigger on
 * `gym_membership` whatever path changed the status (see the migration), read when an offline desk's check-in is
 * decided as of the desk's time. The gym's older rows are pruned as new ones arrive.
 */
export const MembershipStatusChangeEntity = new EntitySchema<MembershipStatusChange>({
  name: "MembershipStatusChange",
  tableName: "membership_status_change",
  indexes: [{ properties: ["gymId", "memberId", "at"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    fromStatus: { type: "string", length: 16 },
    toStatus: { type: "string", length: 16 },
    at: { type: EpochMsType },
  },
});
