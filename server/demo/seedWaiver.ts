/**
 * The demo gym's waiver (docs/domain.md "Policies and waivers"): one version in force since about six months ago,
 * signed by most members — not by the demo member, who can try signing it in the member app, nor by a few others the
 * Waivers screen lists. The gym does not enforce it (`waiverRequired: "off"`), so the desk lets everyone in as before.
 * Its own seeded random numbers: the rest of the demo stays exactly as it was.
 */
import { createHash } from "node:crypto";
import type { WaiverDocument, WaiverSignature } from "../../domain/admin/waivers.js";
import type { GymMembership, User, WaiverVersionRef } from "../../domain/model.js";
import { localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import { demoId } from "./demoIds.js";
import { mulberry32 } from "./prng.js";

const DAY = 86_400_000;

export const DEMO_WAIVER_VERSION = "2026-1";

const TEXT = [
  "Training at Spotter Demo Box is physical exercise and carries a risk of injury. I take part at my own risk and train within my limits.",
  "I tell the coach about injuries, illness or pregnancy before class, and I follow the coach's instructions on technique and weights.",
  "I use the equipment as shown, put it back after use and report anything broken at the front desk.",
  "The gym may take photos in classes for its own channels; I can ask the front desk not to be shown.",
].join("\n\n");

export interface DemoWaiver {
  document: WaiverDocument;
  signatures: WaiverSignature[];
  /** What the gym's policy carries for the rooms. */
  ref: WaiverVersionRef;
}

/** The demo waiver and its signatures; `ownerId` published it. Members with a cancelled membership never signed. */
export function demoWaiver(
  gymId: string,
  timeZone: string,
  ownerId: string,
  users: readonly User[],
  memberships: readonly GymMembership[],
  now: number,
): DemoWaiver {
  const rand = mulberry32(180);
  const effectiveOn = localDate(now - 180 * DAY, timeZone);
  const effectiveAt = startOfLocalDay(effectiveOn, timeZone);
  const document: WaiverDocument = {
    id: demoId("waiver:2026-1"),
    gymId,
    document: "waiver",
    version: DEMO_WAIVER_VERSION,
    title: "Liability waiver and house rules",
    text: TEXT,
    textHash: createHash("sha256").update(TEXT, "utf8").digest("hex"),
    effectiveOn,
    effectiveAt,
    publishedBy: ownerId,
    publishedAt: effectiveAt - 7 * DAY,
  };
  const names = new Map(users.map((u) => [u.id, u.name]));
  const signatures: WaiverSignature[] = [];
  for (const m of memberships) {
    const skip = rand() < 0.1; // drawn for every membership, so who signs never depends on the others
    if (m.role !== "member" || m.status === "cancelled" || m.userId === demoId("user:member1") || skip) continue;
    const signedAt = Math.min(now - 3_600_000, Math.max(effectiveAt, m.joinedAt) + Math.floor(rand() * 5 * DAY));
    signatures.push({
      id: demoId(`waiver-signature:${m.userId}`),
      gymId,
      documentId: document.id,
      memberId: m.userId,
      version: document.version,
      textHash: document.textHash,
      typedName: names.get(m.userId) ?? "",
      signedAt,
      ip: "",
      userAgent: "Spotter demo seed",
    });
  }
  return { document, signatures, ref: { version: document.version, effectiveAt } };
}
