import { EntitySchema } from "@mikro-orm/core";
import type { TourSlot } from "../../../domain/leads/pipeline.js";
import { EpochMsType } from "../EpochMsType.js";

/** A time staff show people around the gym; leads book it on the public form (capacity 0: closed). */
export const TourSlotEntity = new EntitySchema<TourSlot>({
  name: "TourSlot",
  tableName: "tour_slot",
  indexes: [{ properties: ["gymId", "startsAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    startsAt: { type: EpochMsType },
    capacity: { type: "integer" },
    createdBy: { type: "uuid" },
    updatedAt: { type: EpochMsType },
  },
});

/** A lead's place on a tour (one per lead and slot). */
export const TourBookingEntity = new EntitySchema<{ id: string; gymId: string; slotId: string; leadId: string; createdAt: number }>({
  name: "TourBooking",
  tableName: "tour_booking",
  uniques: [{ properties: ["slotId", "leadId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    slotId: { type: "uuid" },
    leadId: { type: "uuid" },
    createdAt: { type: EpochMsType },
  },
});
