/**
 * Member import (issue 18): an owner uploads another system's CSV export, sees a dry run (the columns, the mapping,
 * every row's problem in words, and what would be added), then imports it — all rows or none, in one audited
 * transaction. Idempotent: members are matched by email, so running the same file again adds nobody.
 */
import { DomainError } from "../../domain/errors.js";
import {
  importActions,
  mappingProblem,
  MAX_IMPORT_ROWS,
  readImportRows,
  suggestMapping,
  type ImportAction,
  type ImportMapping,
  type ImportRow,
  type RowError,
} from "../../domain/admin/memberImport.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { MAX_ERRORS_SHOWN, parseImportFile, rowsHaveErrors } from "./importFile.js";
import type { AdminActor, AdminAudit, StandingNotifier } from "./ports.js";

/** A member the import writes: a new account (`add`) or a membership here for an existing account (`join`). */
export interface ImportedMember {
  userId: string;
  membershipId: string;
  newUser: boolean;
  row: ImportRow;
  planId: string | null;
  joinedAt: number;
}

/** Reads and writes of one import, in one transaction. */
export interface ImportTx {
  gym(gymId: string): Promise<{ timeZone: string } | null>;
  /** The gym's plans that members can be put on (not archived). */
  plans(gymId: string): Promise<{ id: string; name: string; priceCents: number }[]>;
  /** Of `emails`: those who are members of the gym, and the accounts (any gym) of the others, email → user id. */
  known(gymId: string, emails: readonly string[]): Promise<{ members: Set<string>; users: Map<string, string> }>;
  /** Writes accounts, memberships and plan assignments in a few batched statements (never one round trip per row). */
  insertMembers(gymId: string, members: readonly ImportedMember[], actorId: string, at: number): Promise<void>;
  audit(a: AdminAudit): void;
}

export interface ImportStore {
  read<T>(work: (tx: ImportTx) => Promise<T>): Promise<T>;
  /** One transaction; imports into one gym take turns (a lock), so two runs of one file can't both add a person. */
  transaction<T>(actor: AdminActor, work: (tx: ImportTx) => Promise<T>): Promise<T | DomainError>;
}

export interface ImportPorts {
  store: ImportStore;
  notes: Pick<StandingNotifier, "gymChanged">;
  newId: () => string;
}

export interface ImportInput {
  /** The CSV file's rows, as papaparse read them (`readCsvRows`). */
  rows: readonly string[][];
  /** Field → column header; absent: the mapping the headers suggest. */
  mapping?: ImportMapping | undefined;
  /** False: a dry run that changes nothing. */
  commit: boolean;
}

/** What a dry run found, or what the import did. */
export interface ImportReport {
  columns: string[];
  mapping: ImportMapping;
  /** The first rows as in the file, for the mapping step. */
  sample: string[][];
  rows: number;
  errors: RowError[];
  errorCount: number;
  counts: Record<ImportAction, number>;
  committed: boolean;
  /** After a committed import: the emails of the members it added (for invitations). */
  added: string[];
}

/**
 * A dry run (`commit: false`) or the import. Refused in words when the mapping can't be used; a commit is refused
 * while any row has an error (nothing is imported). Staff with the right role only (see the route).
 */
export async function importMembers(ports: ImportPorts, actor: AdminActor, input: ImportInput): Promise<ImportReport | DomainError> {
  const file = parseImportFile(input.rows, "members", MAX_IMPORT_ROWS);
  if (file instanceof DomainError) return file;
  const mapping = input.mapping ?? suggestMapping(file.headers);
  const problem = mappingProblem(mapping, file.headers);
  const base = { columns: file.headers, mapping, sample: file.records.slice(0, 5), rows: file.records.length };
  if (problem)
    return {
      ...base,
      errors: [{ line: 1, field: "row", message: problem }],
      errorCount: 1,
      counts: { add: 0, join: 0, matched: 0 },
      committed: false,
      added: [],
    };
  const decide = async (tx: ImportTx) => {
    const plans = await tx.plans(actor.gymId);
    const { rows, errors } = readImportRows(
      file.records,
      file.headers,
      mapping,
      plans.map((p) => p.name),
    );
    const known = await tx.known(
      actor.gymId,
      rows.map((r) => r.email),
    );
    const actions = importActions(rows, { members: known.members, users: new Set(known.users.keys()) });
    const counts = { add: 0, join: 0, matched: 0 };
    for (const a of actions) counts[a] += 1;
    return { rows, errors, actions, counts, known, plans };
  };
  const report = (d: Awaited<ReturnType<typeof decide>>, committed: boolean, added: string[]): ImportReport => ({
    ...base,
    errors: d.errors.slice(0, MAX_ERRORS_SHOWN),
    errorCount: d.errors.length,
    counts: d.counts,
    committed,
    added,
  });
  if (!input.commit) return report(await ports.store.read(decide), false, []);
  const result = await ports.store.transaction(actor, async (tx) => {
    const d = await decide(tx);
    if (d.errors.length > 0) throw rowsHaveErrors(d.errors);
    const gym = await tx.gym(actor.gymId);
    const today = localDate(actor.now, gym?.timeZone ?? "UTC");
    const planIds = new Map(d.plans.map((p) => [p.name, p.id]));
    const members: ImportedMember[] = d.rows.flatMap((row, i) => {
      const action = d.actions[i]!;
      if (action === "matched") return [];
      const existing = d.known.users.get(row.email);
      return [
        {
          userId: existing ?? ports.newId(),
          membershipId: ports.newId(),
          newUser: existing === undefined,
          row,
          planId: row.plan === null ? null : (planIds.get(row.plan) ?? null),
          joinedAt: joinedAt(row.joinedOn ?? today, actor.now, today),
        },
      ];
    });
    if (members.length > 0) await tx.insertMembers(actor.gymId, members, actor.userId, actor.now);
    // One audit row for the import (counts, no personal data); each member's own history starts with it.
    tx.audit({
      action: "gym:importMembers",
      entityType: "import",
      entityId: null,
      before: null,
      after: { rows: base.rows, ...d.counts, columns: Object.keys(mapping).sort() },
    });
    return report(
      d,
      true,
      members.map((m) => m.row.email),
    );
  });
  if (!(result instanceof DomainError) && result.counts.add + result.counts.join > 0) ports.notes.gymChanged(actor.gymId);
  return result;
}

/** A join date as an instant: noon UTC of that day (the day survives any gym zone), or now for today. */
function joinedAt(day: string, now: number, today: string): number {
  return day === today ? now : Date.parse(`${day}T12:00:00Z`);
}
