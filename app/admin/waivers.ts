/**
 * Waivers (issue 18, "Policies and waivers"): owners and admins publish a version, members sign it with their typed
 * name — the signature is evidence (text hash, version, time, address, user agent) and never changes — and staff see
 * who hasn't signed. Each write in one transaction with its audit row; the live rooms on every node hear of it after.
 */
import {
  checkPublish,
  checkTypedName,
  currentWaiver,
  documentOf,
  LiabilityWaiver,
  requirementOf,
  signable,
  withVersion,
  type WaiverDocument,
  type WaiverEnforcement,
  type WaiverSignature,
} from "../../domain/admin/waivers.js";
import { DomainError } from "../../domain/errors.js";
import { localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import type { AdminActor, AdminPorts } from "./ports.js";

/** How many unsigned members one status answer names per document (the total is always given). */
const UnsignedShown = 200;
/** How many documents a gym keeps (each with its own versions): a waiver, house rules, a few more. */
export const MaxDocuments = 10;

/** Versions in the order they take over: by effective instant, then by publication (the later one wins a tie). */
const inOrder = (docs: readonly WaiverDocument[]) =>
  docs.slice().sort((a, b) => a.effectiveAt - b.effectiveAt || a.publishedAt - b.publishedAt);

/** What a member or staff read of a version: never who published it. `required` as published (null: the gym's default). */
const versionView = (d: WaiverDocument) => ({
  waiverId: d.id,
  document: d.document,
  version: d.version,
  title: d.title,
  effectiveOn: d.effectiveOn,
  textHash: d.textHash,
  required: d.required ?? null,
});

/** The gym's documents, each with its versions in the order they take over; the liability waiver first. */
function byDocument(docs: readonly WaiverDocument[]): { document: string; versions: WaiverDocument[] }[] {
  const keys = [...new Set(inOrder(docs).map(documentOf))].sort((a, b) => Number(b === LiabilityWaiver) - Number(a === LiabilityWaiver));
  return keys.map((document) => ({ document, versions: inOrder(docs).filter((d) => documentOf(d) === document) }));
}

export async function publishWaiver(
  ports: AdminPorts,
  actor: AdminActor,
  input: {
    title: string;
    version: string;
    text: string;
    effectiveOn?: string | undefined;
    document?: string | undefined;
    required?: WaiverEnforcement | undefined;
  },
) {
  const result = await ports.store.transaction(actor, "gym:publishWaiver", async (tx) => {
    const gym = await tx.gym(actor.gymId);
    // Locked: two versions published at once take turns, so the policy's version list keeps both.
    const policy = await tx.policy(actor.gymId, true);
    if (!gym || !policy) return null;
    const today = localDate(actor.now, gym.timeZone);
    const effectiveOn = input.effectiveOn ?? today;
    const existing = await tx.waiverDocuments(actor.gymId);
    const refused = checkPublish(
      existing.map((d) => d.version),
      { version: input.version, effectiveOn },
      today,
    );
    if (refused) throw refused;
    const document = input.document ?? LiabilityWaiver;
    const documents = new Set(existing.map(documentOf));
    if (!documents.has(document) && documents.size >= MaxDocuments)
      throw new DomainError(
        "LIMIT_EXCEEDED",
        `A gym keeps at most ${MaxDocuments} policy documents — publish a new version of one instead.`,
        {
          fields: { document: `At most ${MaxDocuments} documents` },
        },
      );
    const doc: WaiverDocument = {
      id: ports.newId(),
      gymId: actor.gymId,
      document,
      version: input.version,
      ...(input.required ? { required: input.required } : {}),
      title: input.title,
      text: input.text,
      textHash: ports.hashText(input.text),
      // Published for today: in force from now (not from midnight), so it follows the version it replaces.
      effectiveOn,
      effectiveAt: effectiveOn === today ? actor.now : startOfLocalDay(effectiveOn, gym.timeZone),
      publishedBy: actor.userId,
      publishedAt: actor.now,
    };
    await tx.addWaiverDocument(doc);
    const ref = { version: doc.version, effectiveAt: doc.effectiveAt, document, ...(doc.required ? { required: doc.required } : {}) };
    const next = { ...policy, waiverVersions: withVersion(policy.waiverVersions, ref) };
    await tx.savePolicy(actor.gymId, next);
    tx.audit({
      action: "gym:publishWaiver",
      entityType: "waiver",
      entityId: doc.id,
      before: null,
      after: { document, version: doc.version, effectiveOn, textHash: doc.textHash, required: doc.required ?? null },
    });
    return { policy: next, answer: versionView(doc) };
  });
  if (!result || result instanceof DomainError) return result;
  // Members who signed an older version must sign again once this one applies: every standing is read again.
  await ports.notes.policyChanged(actor.gymId, result.policy);
  ports.notes.gymChanged(actor.gymId);
  return result.answer;
}

/** The member signs a version for themself; signing it again answers the first signature. */
export async function signWaiver(ports: AdminPorts, actor: AdminActor, input: { version: string; typedName: string }) {
  const result = await ports.store.transaction(actor, "gym:signWaiver", async (tx) => {
    const profile = await tx.memberProfile(actor.gymId, actor.userId);
    if (!profile) return null;
    const doc = signable(inOrder(await tx.waiverDocuments(actor.gymId)), input.version, actor.now);
    if (doc instanceof DomainError) throw doc;
    const typed = checkTypedName(input.typedName);
    if (typed) throw typed;
    const signature: WaiverSignature = {
      id: ports.newId(),
      gymId: actor.gymId,
      documentId: doc.id,
      memberId: actor.userId,
      version: doc.version,
      textHash: doc.textHash,
      typedName: input.typedName.trim(),
      signedAt: actor.now,
      ip: actor.client?.ip ?? "",
      userAgent: actor.client?.userAgent ?? "",
    };
    if (!(await tx.addWaiverSignature(signature))) {
      const first = (await tx.waiverSignatures(actor.gymId, actor.userId)).find((s) => s.documentId === doc.id)!;
      return { signatureId: first.id, version: first.version, textHash: first.textHash, signedAt: first.signedAt, alreadySigned: true };
    }
    tx.audit({
      action: "gym:signWaiver",
      entityType: "waiver_signature",
      entityId: signature.id,
      before: null,
      after: { version: doc.version, textHash: doc.textHash },
    });
    return { signatureId: signature.id, version: doc.version, textHash: doc.textHash, signedAt: signature.signedAt, alreadySigned: false };
  });
  if (result && !(result instanceof DomainError) && !result.alreadySigned) ports.notes.memberChanged(actor.gymId, actor.userId);
  return result;
}

/**
 * The member's view: for each document, the version in force and any published to apply later, with the text, whether
 * they signed and what it requires. The liability waiver's also at the top level (the first screens knew only it).
 */
export async function myWaiver(ports: AdminPorts, gymId: string, memberId: string, now: number) {
  return ports.store.read(async (tx) => {
    // One after another: the reads share the transaction's connection.
    const docs = await tx.waiverDocuments(gymId);
    const signatures = await tx.waiverSignatures(gymId, memberId);
    const policy = await tx.policy(gymId, false);
    const signedAt = (d: WaiverDocument) => signatures.find((s) => s.documentId === d.id)?.signedAt ?? null;
    const view = (d: WaiverDocument | null) => (d ? { ...versionView(d), text: d.text, signedAt: signedAt(d) } : null);
    const documents = byDocument(docs).map(({ document, versions }) => {
      const current = currentWaiver(versions, now);
      const upcoming = versions.find((d) => d.effectiveAt > now) ?? null;
      const shown = current ?? upcoming;
      return {
        document,
        title: shown?.title ?? "",
        required: shown ? requirementOf(shown, policy?.waiverRequired) : "off",
        current: view(current),
        upcoming: view(upcoming),
      };
    });
    const waiver = documents.find((d) => d.document === LiabilityWaiver);
    return {
      required: waiver?.required ?? policy?.waiverRequired ?? "off",
      current: waiver?.current ?? null,
      upcoming: waiver?.upcoming ?? null,
      documents,
    };
  });
}

/**
 * Staff: for each document, the version in force (or the next one, before any applies), its versions, and the members
 * who haven't signed it; the liability waiver's also at the top level.
 */
export async function waiverStatus(ports: AdminPorts, gymId: string, now: number) {
  return ports.store.read(async (tx) => {
    const docs = await tx.waiverDocuments(gymId);
    const policy = await tx.policy(gymId, false);
    const documents = [];
    for (const { document, versions } of byDocument(docs)) {
      const shown = currentWaiver(versions, now) ?? versions[0]!;
      // One after another: the reads share the transaction's connection.
      const { total, members } = await tx.unsignedMembers(gymId, shown.id, UnsignedShown);
      documents.push({
        document,
        title: shown.title,
        required: requirementOf(shown, policy?.waiverRequired),
        current: { ...versionView(shown), text: shown.text, inForce: shown.effectiveAt <= now },
        versions: versions.map((d) => ({ ...versionView(d), publishedAt: d.publishedAt })),
        unsignedTotal: total,
        unsigned: members,
      });
    }
    const waiver = documents.find((d) => d.document === LiabilityWaiver);
    return {
      required: waiver?.required ?? policy?.waiverRequired ?? "off",
      current: waiver?.current ?? null,
      versions: docs.map((d) => ({ ...versionView(d), publishedAt: d.publishedAt })),
      unsignedTotal: waiver?.unsignedTotal ?? 0,
      unsigned: waiver?.unsigned ?? [],
      documents,
    };
  });
}
