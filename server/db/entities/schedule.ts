import { EntitySchema } from "@mikro-orm/core";
import type { ClassSession, ClassType, RecurringSchedule } from "../../../domain/model.js";
import { EpochMsType } from "../EpochMsType.js";

export const ClassTypeEntity = new EntitySchema<ClassType>({
  name: "ClassType",
  tableName: "class_type",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid", index: true },
    name: { type: "string", length: 200 },
    description: { type: "text", default: "" },
    color: { type: "string", length: 16 },
    promotionMode: { type: "string", length: 16, nullable: true },
    archived: { type: "boolean", default: false },
  },
});

export const ClassSessionEntity = new EntitySchema<ClassSession>({
  name: "ClassSession",
  tableName: "class_session",
  // The gym room loads "sessions of gym G between two instants".
  indexes: [
    { properties: ["gymId", "startsAt"] },
    { properties: ["scheduleId"] },
    {
      // The booking-window warm-up's look-ahead across gyms (server/persistence/openingSessions.ts): scheduled only.
      name: "class_session_scheduled_starts_at_index",
      expression: `create index "class_session_scheduled_starts_at_index" on "class_session" ("starts_at") where "status" = 'scheduled'`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    locationId: { type: "uuid" },
    classTypeId: { type: "uuid" },
    coachId: { type: "uuid", nullable: true },
    scheduleId: { type: "uuid", nullable: true },
    roomId: { type: "uuid", nullable: true },
    startsAt: { type: EpochMsType },
    endsAt: { type: EpochMsType },
    capacity: { type: "integer" },
    status: { type: "string", length: 16 },
    cancelReason: { type: "text", nullable: true },
    promotionMode: { type: "string", length: 16 },
    bookingOpensMinutes: { type: "integer" },
    bookingClosesMinutes: { type: "integer" },
    lateCancelMinutes: { type: "integer" },
    autoPromoteCutoffMinutes: { type: "integer" },
    checkInOpensMinutes: { type: "integer" },
    checkInClosesMinutes: { type: "integer" },
    waitlistLimit: { type: "integer" },
    offerClaimMinutes: { type: "integer" },
  },
});

export const RecurringScheduleEntity = new EntitySchema<RecurringSchedule>({
  name: "RecurringSchedule",
  tableName: "recurring_schedule",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid", index: true },
    locationId: { type: "uuid" },
    classTypeId: { type: "uuid" },
    coachId: { type: "uuid", nullable: true },
    roomId: { type: "uuid", nullable: true },
    weekdays: { type: "json" },
    startTime: { type: "string", length: 5 },
    durationMinutes: { type: "integer" },
    capacity: { type: "integer" },
    startDate: { type: "string", length: 10 },
    endDate: { type: "string", length: 10 },
    exceptions: { type: "json" },
  },
});
