import { EntitySchema } from "@mikro-orm/core";
import type { AttendanceEvent, Booking, CheckIn, Fee, WaitlistEntry } from "../../../domain/model.js";
import { EpochMsType } from "../EpochMsType.js";

export const BookingEntity = new EntitySchema<Booking>({
  name: "Booking",
  tableName: "booking",
  // A class room loads all bookings of its session; a user room loads a member's bookings.
  indexes: [
    { properties: ["sessionId"] },
    { properties: ["gymId", "memberId", "createdAt"] },
    // The database itself refuses a second live booking of one member in one session.
    {
      name: "booking_one_live_per_member",
      expression: `create unique index "booking_one_live_per_member" on "booking" ("session_id", "member_id") where "status" in ('booked', 'checked_in')`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    sessionId: { type: "uuid" },
    memberId: { type: "uuid" },
    status: { type: "string", length: 16 },
    createdAt: { type: EpochMsType },
    updatedAt: { type: EpochMsType },
    creditUsed: { type: "boolean" },
    promotedFromWaitlist: { type: "boolean" },
  },
});

export const WaitlistEntryEntity = new EntitySchema<WaitlistEntry>({
  name: "WaitlistEntry",
  tableName: "waitlist_entry",
  indexes: [
    { properties: ["sessionId"] },
    { properties: ["gymId", "memberId"] },
    {
      name: "waitlist_one_active_per_member",
      expression: `create unique index "waitlist_one_active_per_member" on "waitlist_entry" ("session_id", "member_id") where "status" in ('waiting', 'offered')`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    sessionId: { type: "uuid" },
    memberId: { type: "uuid" },
    position: { type: "integer" },
    status: { type: "string", length: 16 },
    createdAt: { type: EpochMsType },
    updatedAt: { type: EpochMsType },
    offerExpiresAt: { type: EpochMsType, nullable: true },
    reason: { type: "text", nullable: true },
  },
});

export const CheckInEntity = new EntitySchema<CheckIn>({
  name: "CheckIn",
  tableName: "check_in",
  indexes: [{ properties: ["gymId", "at"] }, { properties: ["sessionId"] }, { properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid", nullable: true },
    sessionId: { type: "uuid", nullable: true },
    source: { type: "string", length: 16 },
    result: { type: "string", length: 16 },
    reason: { type: "string", length: 40, nullable: true },
    at: { type: EpochMsType },
    byUserId: { type: "uuid", nullable: true },
    deviceAt: { type: EpochMsType, nullable: true },
    receivedAt: { type: EpochMsType, nullable: true },
    override: { type: "string", length: 300, nullable: true, fieldName: "override_reason" },
  },
});

export const FeeEntity = new EntitySchema<Fee>({
  name: "Fee",
  tableName: "fee",
  indexes: [{ properties: ["gymId", "createdAt"] }, { properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    sessionId: { type: "uuid" },
    bookingId: { type: "uuid" },
    kind: { type: "string", length: 16 },
    amountCents: { type: "integer" },
    currency: { type: "string", length: 3 },
    createdAt: { type: EpochMsType },
    waived: { type: "boolean", default: false },
  },
});

export const AttendanceEventEntity = new EntitySchema<AttendanceEvent>({
  name: "AttendanceEvent",
  tableName: "attendance_event",
  indexes: [{ properties: ["gymId", "memberId", "at"] }, { properties: ["gymId", "at"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    sessionId: { type: "uuid", nullable: true },
    at: { type: EpochMsType },
  },
});
