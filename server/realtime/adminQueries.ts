/**
 * Gym administration requests (domain/protocol/admin.ts) as `gym:*` handlers: each validates, authorizes by role
 * and calls its use case in `app/admin/`.
 */
import { createHash, randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { memberAccount, recordPayment, waiveCharge } from "../../app/admin/account.js";
import { setPolicy } from "../../app/admin/settings.js";
import { addMember, freezeMember, unfreezeMember, updateMember } from "../../app/admin/members.js";
import { adjustCredits, assignPlan, listPlans, savePlan, sellPack } from "../../app/admin/plans.js";
import type { AdminActor, AdminPorts, ClassCommands, DeskCommands, StandingNotifier } from "../../app/admin/ports.js";
import { myWaiver, publishWaiver, signWaiver, waiverStatus } from "../../app/admin/waivers.js";
import { checkInWalkIn } from "../../app/admin/walkIns.js";
import type { AdminPayload } from "../../domain/protocol/admin.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { adminStore } from "../persistence/adminStore.js";
import type { GymQueryContext, InGym, QueryHandlers } from "./queryHandler.js";

const OwnerAdmin = ["owner", "admin"] as const;
/** Who handles money at the desk: not coaches. */
const Desk = ["owner", "admin", "front_desk"] as const;

export interface AdminQueryDeps {
  orm: MikroORM;
  now: () => number;
  inGym: InGym;
  readAudit: ReadAudit;
  notes: StandingNotifier;
  classes: ClassCommands & DeskCommands;
}

/** SHA-256 of a text (hex): what a waiver signature points at. */
export const hashText = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

export function adminQueries(d: AdminQueryDeps): QueryHandlers {
  const ports: AdminPorts = {
    store: adminStore(d.orm), notes: d.notes, classes: d.classes, desk: d.classes, newId: randomUUID,
    hashText,
  };
  const actor = (c: GymQueryContext<unknown>): AdminActor => ({
    userId: c.userId, role: c.role, gymId: c.gymId, commandId: c.commandId, now: d.now(), ...(c.client ? { client: c.client } : {}),
  });
  return {
    "gym:plans": d.inGym("gym:plans", true, ({ gymId }) => listPlans(ports, gymId)),
    "gym:savePlan": d.inGym<AdminPayload<"gym:savePlan">>("gym:savePlan", OwnerAdmin, (c) => savePlan(ports, actor(c), c.payload)),
    "gym:assignPlan": d.inGym<AdminPayload<"gym:assignPlan">>("gym:assignPlan", OwnerAdmin, (c) => assignPlan(ports, actor(c), c.payload)),
    "gym:sellPack": d.inGym<AdminPayload<"gym:sellPack">>("gym:sellPack", Desk, (c) => sellPack(ports, actor(c), c.payload)),
    "gym:adjustCredits": d.inGym<AdminPayload<"gym:adjustCredits">>("gym:adjustCredits", OwnerAdmin, (c) => adjustCredits(ports, actor(c), c.payload)),
    "gym:memberAccount": d.inGym<AdminPayload<"gym:memberAccount">>("gym:memberAccount", Desk, async ({ userId, gymId, payload, commandId }) => {
      const account = await memberAccount(ports, gymId, payload.memberId);
      // One member's money: a staff read of personal data, audited like a profile.
      if (account) await d.readAudit.record({ gymId, actorId: userId, action: "gym:memberAccount", entityType: "member", entityId: payload.memberId, summary: {}, commandId, at: d.now() });
      return account;
    }),
    "gym:recordPayment": d.inGym<AdminPayload<"gym:recordPayment">>("gym:recordPayment", Desk, (c) => recordPayment(ports, actor(c), c.payload)),
    "gym:waiveCharge": d.inGym<AdminPayload<"gym:waiveCharge">>("gym:waiveCharge", OwnerAdmin, (c) => waiveCharge(ports, actor(c), c.payload)),
    "gym:setPolicy": d.inGym<AdminPayload<"gym:setPolicy">>("gym:setPolicy", OwnerAdmin, (c) => setPolicy(ports, actor(c), c.payload)),
    "gym:addMember": d.inGym<AdminPayload<"gym:addMember">>("gym:addMember", Desk, (c) => addMember(ports, actor(c), c.payload)),
    "gym:updateMember": d.inGym<AdminPayload<"gym:updateMember">>("gym:updateMember", Desk, (c) => updateMember(ports, actor(c), c.payload)),
    "gym:freezeMember": d.inGym<AdminPayload<"gym:freezeMember">>("gym:freezeMember", Desk, (c) => freezeMember(ports, actor(c), c.payload)),
    "gym:unfreezeMember": d.inGym<AdminPayload<"gym:unfreezeMember">>("gym:unfreezeMember", Desk, (c) => unfreezeMember(ports, actor(c), c.payload)),
    "gym:publishWaiver": d.inGym<AdminPayload<"gym:publishWaiver">>("gym:publishWaiver", OwnerAdmin, (c) => publishWaiver(ports, actor(c), c.payload)),
    "gym:waiver": d.inGym("gym:waiver", false, ({ userId, gymId }) => myWaiver(ports, gymId, userId, d.now())),
    "gym:signWaiver": d.inGym<AdminPayload<"gym:signWaiver">>("gym:signWaiver", false, (c) => signWaiver(ports, actor(c), c.payload)),
    "gym:waiverStatus": d.inGym("gym:waiverStatus", true, async ({ userId, gymId, commandId }) => {
      const status = await waiverStatus(ports, gymId, d.now());
      // Names and emails of many members: a staff read of personal data, audited like the member list.
      await d.readAudit.record({ gymId, actorId: userId, action: "gym:waiverStatus", entityType: "waiver", entityId: status.current?.waiverId ?? null, summary: { unsigned: status.unsignedTotal }, commandId, at: d.now() });
      return status;
    }),
    "gym:walkIn": d.inGym<AdminPayload<"gym:walkIn">>("gym:walkIn", Desk, (c) => checkInWalkIn(ports, actor(c), c.payload)),
  };
}
