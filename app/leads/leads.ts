/**
 * The sales pipeline (issue 22): add and edit leads, move them between stages, log touches, convert a lead into a
 * member with their history. Each write is one audited transaction; watching boards are told after the commit.
 */
import { normalEmail } from "../../domain/admin/members.js";
import { DomainError } from "../../domain/errors.js";
import {
  checkMove,
  countByStage,
  followUpDue,
  type Lead,
  type LeadBoard,
  type LeadLine,
  type LeadSource,
  type LeadStage,
  type TouchKind,
} from "../../domain/leads/pipeline.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { AdminActor } from "../admin/ports.js";
import type { LeadPorts, LeadTx } from "./ports.js";

/** How long members and lost leads stay on the board. */
const ClosedShownMs = 30 * 86_400_000;

const invalid = (field: string, message: string) => new DomainError("VALIDATION_FAILED", undefined, { fields: { [field]: message } });

export function leadView(l: Lead & { ownerName?: string | null }): LeadLine {
  return {
    leadId: l.id,
    name: l.name,
    email: l.email,
    phone: l.phone,
    source: l.source,
    interest: l.interest,
    ownerId: l.ownerId,
    ownerName: l.ownerName ?? null,
    stage: l.stage,
    lostReason: l.lostReason,
    followUpOn: l.followUpOn,
    memberId: l.memberId,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
}

/** The board: columns by stage with counts, and the asking staff member's "follow up today". */
export async function leadBoard(ports: LeadPorts, actor: Pick<AdminActor, "gymId" | "userId" | "now">): Promise<LeadBoard> {
  return ports.store.read(async (tx) => {
    const gym = await tx.gym(actor.gymId);
    const today = localDate(actor.now, gym?.timeZone ?? "UTC");
    const leads = (await tx.board(actor.gymId, actor.now - ClosedShownMs)).sort((a, b) => b.updatedAt - a.updatedAt);
    const form = await tx.trialForm(actor.gymId);
    return {
      today,
      leads: leads.map(leadView),
      counts: countByStage(leads),
      trialForm: form ? { enabled: form.enabled, embedOrigins: form.embedOrigins } : null,
      followUpToday: leads
        .filter((l) => followUpDue(l, actor.userId, today))
        .sort((a, b) => (a.followUpOn ?? "").localeCompare(b.followUpOn ?? ""))
        .map((l) => l.id),
    };
  });
}

export async function leadDetail(ports: LeadPorts, gymId: string, leadId: string) {
  return ports.store.read(async (tx) => {
    const lead = await tx.lead(gymId, leadId, false);
    if (!lead) return null;
    const touches = await tx.touches(gymId, leadId, 200);
    return {
      lead: leadView(lead),
      touches: touches.map((t) => ({ touchId: t.id, at: t.at, kind: t.kind, note: t.note, actorName: t.actorName })),
    };
  });
}

async function touch(ports: LeadPorts, tx: LeadTx, actor: AdminActor, leadId: string, kind: TouchKind, note: string) {
  const id = ports.newId();
  await tx.addTouch({ id, leadId, gymId: actor.gymId, at: actor.now, actorId: actor.userId, kind, note });
  return id;
}

/** Which fields a request set, for the audit row (names only: the values are personal data). */
const fieldsOf = (input: object) =>
  Object.keys(input)
    .filter((k) => k !== "leadId" && (input as Record<string, unknown>)[k] !== undefined)
    .sort();

type LeadInput = {
  leadId?: string | undefined;
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  source: LeadSource;
  interest?: string | undefined;
  ownerId?: string | null | undefined;
  followUpOn?: string | null | undefined;
  lostReason?: string | undefined;
};

/** Adds a lead (stage `new`) or changes one's details. */
export async function saveLead(ports: LeadPorts, actor: AdminActor, input: LeadInput) {
  const result = await ports.store.transaction(actor, "gym:saveLead", async (tx) => {
    if (input.ownerId && !(await tx.isStaff(actor.gymId, input.ownerId))) throw invalid("ownerId", "Pick someone who works at the gym");
    const before = input.leadId ? await tx.lead(actor.gymId, input.leadId, true) : null;
    if (input.leadId && !before) return null;
    if (input.lostReason !== undefined && before?.stage !== "lost")
      throw invalid("lostReason", "Only a lost lead has a lost reason — move it to Lost instead.");
    if (input.lostReason !== undefined && input.lostReason.trim() === "") throw invalid("lostReason", "Say why the lead was lost");
    const lead: Lead = {
      id: before?.id ?? ports.newId(),
      gymId: actor.gymId,
      name: input.name,
      email: input.email ?? before?.email ?? null,
      phone: input.phone ?? before?.phone ?? null,
      source: input.source,
      interest: input.interest ?? before?.interest ?? "",
      ownerId: input.ownerId === undefined ? (before?.ownerId ?? null) : input.ownerId,
      stage: before?.stage ?? "new",
      lostReason: input.lostReason ?? before?.lostReason ?? "",
      followUpOn: input.followUpOn === undefined ? (before?.followUpOn ?? null) : input.followUpOn,
      memberId: before?.memberId ?? null,
      createdAt: before?.createdAt ?? actor.now,
      updatedAt: actor.now,
    };
    await tx.saveLead(lead);
    if (!before) await touch(ports, tx, actor, lead.id, "created", `Added (${lead.source.replace("_", "-")})`);
    tx.audit({
      action: "gym:saveLead",
      entityType: "lead",
      entityId: lead.id,
      before: before ? { stage: before.stage } : null,
      after: { stage: lead.stage, fields: fieldsOf(input) },
    });
    return { leadId: lead.id };
  });
  if (result && !(result instanceof DomainError)) ports.changed(actor.gymId);
  return result;
}

export async function moveLead(
  ports: LeadPorts,
  actor: AdminActor,
  input: { leadId: string; stage: LeadStage; lostReason?: string | undefined },
) {
  const result = await ports.store.transaction(actor, "gym:moveLead", async (tx) => {
    const lead = await tx.lead(actor.gymId, input.leadId, true);
    if (!lead) return null;
    const lostReason = input.lostReason ?? "";
    const refused = checkMove(lead, input.stage, lostReason);
    if (refused) throw refused;
    await tx.saveLead({ ...lead, stage: input.stage, lostReason: input.stage === "lost" ? lostReason : "", updatedAt: actor.now });
    await touch(
      ports,
      tx,
      actor,
      lead.id,
      "stage",
      input.stage === "lost" ? `Lost: ${lostReason}` : `Moved to ${input.stage.replace("_", " ")}`,
    );
    tx.audit({
      action: "gym:moveLead",
      entityType: "lead",
      entityId: lead.id,
      before: { stage: lead.stage },
      after: { stage: input.stage },
    });
    return { leadId: lead.id, stage: input.stage };
  });
  if (result && !(result instanceof DomainError)) ports.changed(actor.gymId);
  return result;
}

/** Logs a touch; `followUpOn` plans the next one (null clears it). A new lead someone called is `contacted`. */
export async function touchLead(
  ports: LeadPorts,
  actor: AdminActor,
  input: { leadId: string; kind: TouchKind; note: string; followUpOn?: string | null | undefined },
) {
  const result = await ports.store.transaction(actor, "gym:touchLead", async (tx) => {
    const lead = await tx.lead(actor.gymId, input.leadId, true);
    if (!lead) return null;
    const reached = lead.stage === "new" && input.kind !== "note";
    const stage: LeadStage = reached ? "contacted" : lead.stage;
    await tx.saveLead({
      ...lead,
      stage,
      followUpOn: input.followUpOn === undefined ? lead.followUpOn : input.followUpOn,
      updatedAt: actor.now,
    });
    const touchId = await touch(ports, tx, actor, lead.id, input.kind, input.note);
    tx.audit({
      action: "gym:touchLead",
      entityType: "lead",
      entityId: lead.id,
      before: { stage: lead.stage },
      after: { stage, kind: input.kind, followUpOn: input.followUpOn ?? null },
    });
    return { touchId, stage };
  });
  if (result && !(result instanceof DomainError)) ports.changed(actor.gymId);
  return result;
}

/**
 * Makes the lead a member: the trial account when the trial form made one, a member of the gym with the same email
 * when there is one, else a new member with the lead's name, contact and interest (nothing retyped).
 */
export async function convertLead(ports: LeadPorts, actor: AdminActor, input: { leadId: string }) {
  const result = await ports.store.transaction(actor, "gym:convertLead", async (tx) => {
    const lead = await tx.lead(actor.gymId, input.leadId, true);
    if (!lead) return null;
    if (lead.stage === "member") throw invalid("leadId", "This lead is a member already.");
    let memberId = lead.memberId && (await tx.isMember(actor.gymId, lead.memberId)) ? lead.memberId : null;
    if (!memberId) {
      if (!lead.email) throw invalid("email", "Add the lead's email first: it is how they sign in");
      const email = normalEmail(lead.email);
      const same = (await tx.lookalikes(actor.gymId, email, "")).find((m) => normalEmail(m.email) === email);
      if (same) memberId = same.memberId;
      else {
        const existing = await tx.userByEmail(email);
        memberId = existing?.id ?? ports.newId();
        const notes = lead.interest ? `Interested in: ${lead.interest}` : "";
        const profile = { name: lead.name, email, phone: lead.phone, birthday: null, emergencyContact: "", notes, tags: ["from lead"] };
        await tx.addMember({
          userId: memberId,
          gymId: actor.gymId,
          newUser: !existing,
          profile,
          joinedAt: actor.now,
          membershipId: ports.newId(),
        });
      }
    }
    await tx.saveLead({ ...lead, stage: "member", memberId, lostReason: "", followUpOn: null, updatedAt: actor.now });
    await touch(ports, tx, actor, lead.id, "converted", "Became a member");
    tx.audit({
      action: "gym:convertLead",
      entityType: "lead",
      entityId: lead.id,
      before: { stage: lead.stage },
      after: { stage: "member", memberId },
    });
    return { leadId: lead.id, memberId };
  });
  if (result && !(result instanceof DomainError)) ports.changed(actor.gymId);
  return result;
}
