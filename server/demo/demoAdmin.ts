/**
 * The demo gym's settings, plans and waiver through the staff app's own use cases (`app/admin`): the owner sets the
 * policy and the plans, imports the plans members hold, publishes the waiver, and each member who signed it signs it themself — every step an audited
 * transaction, as if typed on the Settings, Plans and Waiver screens. No room runs yet, so there is nothing live to tell.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import { importHoldings } from "../../app/admin/holdingImport.js";
import type { AdminActor } from "../../app/admin/ports.js";
import { savePlan } from "../../app/admin/plans.js";
import { setPolicy } from "../../app/admin/settings.js";
import { publishWaiver, signWaiver } from "../../app/admin/waivers.js";
import type { PolicySetting } from "../../domain/admin/settings.js";
import type { GymPolicy, MembershipPlan } from "../../domain/model.js";
import { accepted, seedingAdminPorts } from "./demoPorts.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { holdingImportStore } from "../persistence/holdingImportStore.js";
import { demoId } from "./demoIds.js";
import type { DemoPeople } from "./demoPeople.js";
import type { DemoWaiver } from "./seedWaiver.js";

const DAY = 86_400_000;

const owner = (gymId: string, ownerId: string, now: number): AdminActor => ({
  userId: ownerId,
  role: "owner",
  gymId,
  commandId: null,
  now,
});

/** The gym's booking, cancelling, waitlist and check-in settings, on the Settings screen. */
export async function setDemoPolicy(
  em: EntityManager,
  gymId: string,
  ownerId: string,
  policy: Pick<GymPolicy, PolicySetting>,
  now: number,
) {
  await accepted("policy", setPolicy(seedingAdminPorts(em, []), owner(gymId, ownerId, now), policy));
}

/** The plans (ids as given), on the Plans screen. */
export async function saveDemoPlans(em: EntityManager, ownerId: string, plans: readonly MembershipPlan[], now: number) {
  for (const p of plans) {
    const e = p.entitlement;
    const kind = e.kind;
    await accepted(
      `plan ${p.name}`,
      savePlan(seedingAdminPorts(em, [p.id]), owner(p.gymId, ownerId, now), {
        name: p.name,
        kind,
        priceCents: p.priceCents,
        billingPeriod: kind === "pack" ? "once" : "month",
        classesPerWeek: e.kind === "weekly" ? e.classesPerWeek : undefined,
        credits: e.kind === "pack" ? e.credits : undefined,
        validDays: e.kind === "pack" ? e.validDays : undefined,
        weeklyTarget: p.weeklyTarget,
        classTypeIds: [],
      }),
    );
  }
}

/**
 * The waiver, published by `waiver.document.publishedBy` a week before it took effect, then signed by each member in
 * `waiver.signatures` with their typed name at the time drawn for them (the app's evidence: no address, the seed as agent).
 */
export async function publishDemoWaiver(em: EntityManager, waiver: DemoWaiver) {
  const d = waiver.document;
  await accepted(
    "waiver",
    publishWaiver(seedingAdminPorts(em, [d.id]), owner(d.gymId, d.publishedBy, d.publishedAt), {
      title: d.title,
      version: d.version,
      text: d.text,
      effectiveOn: d.effectiveOn,
    }),
  );
  for (const s of waiver.signatures) {
    const member: AdminActor = {
      userId: s.memberId,
      role: "member",
      gymId: s.gymId,
      commandId: null,
      now: s.signedAt,
      client: { ip: s.ip, userAgent: s.userAgent },
    };
    await accepted("waiver signature", signWaiver(seedingAdminPorts(em, [s.id]), member, { version: s.version, typedName: s.typedName }));
  }
}

/**
 * The plans members hold, through the plans import as the owner (`gym:importPlans`): each member's plan from the day
 * they joined; a pack with the credits drawn for them, good to the end of the day before `creditsExpireAt`.
 */
export async function importDemoHoldings(orm: MikroORM, people: DemoPeople, now: number) {
  const { gym, plans, users, memberships } = people;
  const names = new Map(plans.map((p) => [p.id, p.name]));
  const day = (at: number) => localDate(at, gym.timeZone);
  const rows = memberships.flatMap((m, i) => {
    if (m.planId === null) return [];
    const ends = m.creditsExpireAt === null ? "" : day(m.creditsExpireAt - DAY);
    return [[users[i]!.email, names.get(m.planId) ?? "", day(m.joinedAt), ends, String(m.credits ?? "")]];
  });
  const file = [["Email", "Plan", "Start Date", "End Date", "Credits"], ...rows];
  const report = await accepted(
    "plans held",
    importHoldings({ store: holdingImportStore(orm), notes: { gymChanged: () => undefined } }, owner(gym.id, demoId("user:owner"), now), {
      rows: file,
      commit: true,
    }),
  );
  if (report.counts.assign !== rows.length) throw new Error(`demo plans held: ${report.counts.assign} of ${rows.length} imported`);
}
