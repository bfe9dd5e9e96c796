/**
 * The warm-up's synthetic class and members in the shapes the node's own loads give them (issue 15): V8 optimises a
 * room's hot functions for the objects it saw, and a real class whose session, lists or standings had another hidden
 * class ("map") than the warm-up's threw that code away inside the first storm ("wrong map" deopts of `classWindows`,
 * `spotsLeft`, …) and compiled it again. So the session goes through the same row mapper as a loaded one
 * (`plainRow`, as `classSnapshot.ts` reads it), the lists are object-element lists (`domain/shapes.ts`), the class
 * and its standings are built with the keys, in the order, of `classStore.loadClass` and `standingOf`.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { ClassState } from "../domain/class/index.js";
import type { ClassRoomState } from "../domain/views/classView.js";
import { objectList } from "../domain/shapes.js";
import { standingOf, type ResidentMember, type StandingsSource } from "../rooms/residentMember.js";
import type { LoadedMember } from "../rooms/classPorts.js";
import { ClassSessionEntity } from "./db/entities/index.js";
import { plainRow } from "./persistence/rowMapping.js";

/** `cls` as `classStore.loadClass` builds a loaded class: its session through the row mapper, its lists object lists. */
export function loadedShape(em: EntityManager, cls: ClassState, members: ClassState["members"]): ClassRoomState["cls"] {
  const meta = em.getMetadata().get(ClassSessionEntity.meta.className);
  const platform = em.getPlatform();
  // The session as `row_to_json` gives it (column names; instants as the database's values), then mapped back.
  const row: Record<string, unknown> = {};
  for (const p of meta.props) {
    const v = (cls.session as unknown as Record<string, unknown>)[p.name] ?? null;
    const type = p.customType;
    row[p.fieldNames[0]!] = v === null || !type || type.constructor.name === "JsonType" ? v : type.convertToDatabaseValue(v, platform);
  }
  const session = plainRow(em, ClassSessionEntity, row) as unknown as ClassState["session"];
  const type: { name: string } | null = { name: "Class" };
  const policy = cls.feePolicy;
  // The same literal as `loadClass`'s, spread included: an object built another way can get another map.
  return {
    session,
    timeZone: cls.timeZone,
    ...(type ? { classTypeName: type.name } : {}),
    feePolicy: { currency: policy.currency, lateCancelFeeCents: policy.lateCancelFeeCents, noShowFeeCents: policy.noShowFeeCents },
    bookings: objectList(),
    waitlist: objectList(),
    members,
    fees: objectList(),
    checkIns: objectList(),
    attendance: objectList(),
    board: { workout: null, results: objectList() },
  };
}

/** A member in good standing on an unlimited plan, as the resident copy of a gym holds one (see `standingsSource`). */
export function residentShape(memberId: string): ResidentMember {
  return {
    memberId,
    role: "member",
    status: "active",
    planName: "Unlimited",
    planKind: "membership",
    entitlement: { kind: "unlimited" },
    credits: null,
    creditsExpireAt: null,
    missingConsents: [],
    name: `Member ${memberId.slice(0, 8)}`,
    email: `${memberId.slice(0, 8)}@example.invalid`,
    phone: null,
    visible: true,
    notes: "",
    lastOpenGymAt: null,
    frozenUntil: null,
    streak: { streak: 0, lastActiveDay: null },
    bookings: objectList(),
  };
}

/** Members' standings for `session` as the node's resident lookup hands them to a class room (`standingOf`). */
export function loadedMembers(session: ClassState["session"], ids: readonly string[], timeZone: string): Map<string, LoadedMember> {
  return new Map(ids.map((id) => [id, standingOf(residentShape(id), session, timeZone)]));
}

/**
 * The synthetic gym's members as the node's resident copy loads a gym (one read): a class room of the node holds its
 * gym's `ResidentStandings` (and so does the access check), and a warm-up room without one left those fields of
 * another type than the node's rooms have — V8 then threw away the room's optimised code on the first real room.
 */
export function residentSource(gymId: string, timeZone: string, memberIds: readonly string[], sessionIds: string[]): StandingsSource {
  return {
    loadGym: async (gym) => (gym === gymId ? { timeZone, members: memberIds.map(residentShape), sessionIds } : null),
    loadMembers: async (gym, ids) => (gym === gymId ? ids.filter((id) => memberIds.includes(id)).map(residentShape) : []),
    // The node's source reconciles (so its copy holds a reconciler timer); nothing here to reconcile.
    accessKeys: async () => new Map<string, string>(),
  };
}
