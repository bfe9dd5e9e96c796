import { EntitySchema } from "@mikro-orm/core";
import type { Gym, GymMembership, Location, LocationRoom, MembershipPlan, User } from "../../../domain/model.js";
import { EpochMsType } from "../EpochMsType.js";

export const GymEntity = new EntitySchema<Gym>({
  name: "Gym",
  tableName: "gym",
  properties: {
    id: { type: "uuid", primary: true },
    name: { type: "string", length: 200 },
    timeZone: { type: "string", length: 64 },
    policy: { type: "json" },
    memberSelfCheckIn: { type: "boolean", default: false },
    locale: { type: "string", length: 35, default: "en" },
    openingHours: { type: "json", nullable: true },
    needsSetup: { type: "boolean", default: false },
  },
});

export const LocationEntity = new EntitySchema<Location>({
  name: "Location",
  tableName: "location",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid", index: true },
    name: { type: "string", length: 200 },
    address: { type: "string", length: 300, default: "" },
    archived: { type: "boolean", default: false },
  },
});

export const LocationRoomEntity = new EntitySchema<LocationRoom>({
  name: "LocationRoom",
  tableName: "location_room",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    locationId: { type: "uuid", index: true },
    name: { type: "string", length: 120 },
    archived: { type: "boolean", default: false },
  },
});

export const UserEntity = new EntitySchema<User>({
  name: "User",
  tableName: "app_user",
  properties: {
    id: { type: "uuid", primary: true },
    email: { type: "string", length: 320, unique: true },
    name: { type: "string", length: 200 },
    phone: { type: "string", length: 40, nullable: true },
    visible: { type: "boolean", default: true },
    birthday: { type: "string", length: 10, nullable: true },
    emergencyContact: { type: "string", length: 200, default: "" },
  },
});

export const MembershipPlanEntity = new EntitySchema<MembershipPlan>({
  name: "MembershipPlan",
  tableName: "membership_plan",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid", index: true },
    name: { type: "string", length: 200 },
    entitlement: { type: "json" },
    weeklyTarget: { type: "integer" },
    priceCents: { type: "integer" },
    kind: { type: "string", length: 16, nullable: true },
    billingPeriod: { type: "string", length: 8, nullable: true },
    classTypeIds: { type: "json", nullable: true },
    archived: { type: "boolean", default: false },
  },
});

export const GymMembershipEntity = new EntitySchema<GymMembership>({
  name: "GymMembership",
  tableName: "gym_membership",
  uniques: [{ properties: ["gymId", "userId"] }],
  indexes: [
    { properties: ["userId"] },
    {
      // The freeze-end job's scan: only frozen memberships (docs/domain.md "Freezes").
      name: "gym_membership_frozen_until_index",
      expression: `create index "gym_membership_frozen_until_index" on "gym_membership" ("frozen_until", "gym_id") where "status" = 'frozen'`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    userId: { type: "uuid" },
    role: { type: "string", length: 16 },
    status: { type: "string", length: 16 },
    planId: { type: "uuid", nullable: true },
    planStartsOn: { type: "string", length: 10, nullable: true },
    planEndsOn: { type: "string", length: 10, nullable: true },
    credits: { type: "integer", nullable: true },
    creditsExpireAt: { type: EpochMsType, nullable: true },
    notes: { type: "text", default: "" },
    joinedAt: { type: EpochMsType },
    frozenUntil: { type: "string", length: 10, nullable: true },
    freezeReason: { type: "text", default: "" },
    tags: { type: "json", nullable: true },
  },
});
