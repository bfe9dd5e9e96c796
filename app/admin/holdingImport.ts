/**
 * Importing the plans members hold (issue 18): an owner uploads another system's export of memberships or pricing
 * options, sees a dry run (every row's problem in words), then imports it — all rows or none, in one audited
 * transaction. Each row makes the plan the member's current one from its start to its end; a plan with credits sets
 * the member's balance to the credits left, through one `opening` ledger entry (the difference), with the end as
 * their expiry. Idempotent: a member who already holds that plan from that start is left as they are.
 */
import {
  holdingMappingProblem,
  MAX_HOLDING_ROWS,
  readHoldingRows,
  suggestHoldingMapping,
  type HoldingField,
  type HoldingMapping,
  type HoldingRow,
  type ImportablePlan,
} from "../../domain/admin/holdingImport.js";
import { DomainError } from "../../domain/errors.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import { importReport, parseImportFile, rowsHaveErrors, type ImportReportOf } from "./importFile.js";
import type { AdminActor, AdminAudit, StandingNotifier } from "./ports.js";

/** A plan the import gives: the member, the row, and when a plan with credits runs out (null: never). */
export interface ImportedHolding {
  memberId: string;
  row: HoldingRow;
  priceCents: number;
  creditsExpireAt: number | null;
}

export interface HoldingImportTx {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  /** Plans of the gym that can be given (not archived). */
  plans(gymId: string): Promise<(ImportablePlan & { priceCents: number })[]>;
  /** Of `emails`, the members of the gym (any role), email → user id. */
  members(gymId: string, emails: readonly string[]): Promise<Map<string, string>>;
  /** Of these members, the plan assignments they have, as `memberId:planId:startsOn`. */
  assignments(gymId: string, memberIds: readonly string[]): Promise<Set<string>>;
  /** Current plan, plan history, credits with their ledger entry and expiry — in a few batched statements. */
  insertHoldings(gymId: string, holdings: readonly ImportedHolding[], actorId: string, at: number): Promise<void>;
  audit(a: AdminAudit): void;
}

export interface HoldingImportStore {
  read<T>(work: (tx: HoldingImportTx) => Promise<T>): Promise<T>;
  /** One transaction; imports into one gym take turns. */
  transaction<T>(actor: AdminActor, work: (tx: HoldingImportTx) => Promise<T>): Promise<T | DomainError>;
}

export type HoldingAction = "assign" | "matched";
export type HoldingReport = ImportReportOf<HoldingField, HoldingAction>;

export async function importHoldings(
  ports: { store: HoldingImportStore; notes: Pick<StandingNotifier, "gymChanged"> },
  actor: AdminActor,
  input: { rows: readonly string[][]; mapping?: HoldingMapping | undefined; commit: boolean },
): Promise<HoldingReport | DomainError> {
  const file = parseImportFile(input.rows, "plans", MAX_HOLDING_ROWS);
  if (file instanceof DomainError) return file;
  const mapping = input.mapping ?? suggestHoldingMapping(file.headers);
  const none = { assign: 0, matched: 0 };
  const problem = holdingMappingProblem(mapping, file.headers);
  if (problem) return importReport(file, mapping, [{ line: 1, field: "row", message: problem }], none, false);
  const decide = async (tx: HoldingImportTx) => {
    const timeZone = (await tx.gym(actor.gymId))?.timeZone ?? "UTC";
    const today = localDate(actor.now, timeZone);
    const plans = await tx.plans(actor.gymId);
    const read = readHoldingRows(file.records, file.headers, mapping, plans, today);
    const members = await tx.members(
      actor.gymId,
      read.rows.map((r) => r.email),
    );
    const errors = [...read.errors];
    const known = read.rows.filter((r) => {
      if (members.has(r.email)) return true;
      errors.push({ line: r.line, field: "email", message: `No member with the email ${r.email} — import your members first.` });
      return false;
    });
    errors.sort((a, b) => a.line - b.line);
    const held = await tx.assignments(
      actor.gymId,
      known.map((r) => members.get(r.email)!),
    );
    const price = new Map(plans.map((p) => [p.id, p.priceCents]));
    const holdings: ImportedHolding[] = [];
    let matched = 0;
    for (const row of known) {
      const memberId = members.get(row.email)!;
      if (held.has(`${memberId}:${row.planId}:${row.startsOn}`)) matched += 1;
      else
        holdings.push({
          memberId,
          row,
          priceCents: price.get(row.planId) ?? 0,
          // Credits are good to the end of the plan's last day in the gym's zone.
          creditsExpireAt: row.credits !== null && row.endsOn !== null ? startOfLocalDay(addDays(row.endsOn, 1), timeZone) : null,
        });
    }
    return { errors, holdings, counts: { assign: holdings.length, matched } };
  };
  if (!input.commit) {
    const d = await ports.store.read(decide);
    return importReport(file, mapping, d.errors, d.counts, false);
  }
  const result = await ports.store.transaction(actor, async (tx) => {
    const d = await decide(tx);
    if (d.errors.length > 0) throw rowsHaveErrors(d.errors);
    if (d.holdings.length > 0) await tx.insertHoldings(actor.gymId, d.holdings, actor.userId, actor.now);
    // One audit row (counts and columns, no personal data).
    tx.audit({
      action: "gym:importPlans",
      entityType: "import",
      entityId: null,
      before: null,
      after: { rows: file.records.length, ...d.counts, columns: Object.keys(mapping).sort() },
    });
    return importReport(file, mapping, [], d.counts, true);
  });
  if (!(result instanceof DomainError) && result.counts.assign > 0) ports.notes.gymChanged(actor.gymId);
  return result;
}
