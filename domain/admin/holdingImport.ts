/**
 * Importing the plans members hold (issue 18, docs/domain.md "Importing plans and bookings"): which column is which
 * (Mindbody, Glofox and PushPress names, or the owner's mapping) and each row read and checked in words against the
 * gym's plans. Pure; whether the email is a member here is decided with what the database knows.
 */
import { EmailColumns, importDate, missingColumn, suggestColumns, type ColumnMapping, type RowError } from "./importColumns.js";
import { nameKey, notADate, readEmail, readNamed, readRows } from "./importRows.js";

export const HoldingFields = ["email", "plan", "startsOn", "endsOn", "credits"] as const;
export type HoldingField = (typeof HoldingFields)[number];
export type HoldingMapping = ColumnMapping<HoldingField>;

/** The most rows one plans file may hold. */
export const MAX_HOLDING_ROWS = 20_000;

/** The most credits one row may give (a pack's balance, not a typo of a year). */
const MAX_CREDITS = 1_000;

const KnownColumns: Record<string, HoldingField> = {
  ...EmailColumns,
  plan: "plan",
  planname: "plan",
  membership: "plan",
  membershipname: "plan",
  pricingoption: "plan",
  contract: "plan",
  contractname: "plan",
  package: "plan",
  startdate: "startsOn",
  start: "startsOn",
  planstart: "startsOn",
  activationdate: "startsOn",
  activedate: "startsOn",
  startson: "startsOn",
  enddate: "endsOn",
  end: "endsOn",
  planend: "endsOn",
  expirationdate: "endsOn",
  expirydate: "endsOn",
  expires: "endsOn",
  endson: "endsOn",
  remaining: "credits",
  credits: "credits",
  creditsremaining: "credits",
  remainingcredits: "credits",
  sessionsremaining: "credits",
  remainingsessions: "credits",
  visitsremaining: "credits",
  remainingvisits: "credits",
  classesremaining: "credits",
  punchesremaining: "credits",
  sessionsleft: "credits",
};

/** @example suggestHoldingMapping(["Email", "Pricing Option", "Activation Date", "Expiration Date", "Remaining"]) */
export const suggestHoldingMapping = (headers: readonly string[]): HoldingMapping => suggestColumns(headers, KnownColumns);

/** What is wrong with a mapping, in words; null when it can be used. */
export function holdingMappingProblem(mapping: HoldingMapping, headers: readonly string[]): string | null {
  const missing = missingColumn(mapping, headers);
  if (missing) return missing;
  if (mapping.email === undefined) return "Pick the column that holds the member's email address: plans are matched to members by email.";
  if (mapping.plan === undefined) return "Pick the column that holds the plan's name.";
  return null;
}

/** One plan held, as the file describes it, checked. */
export interface HoldingRow {
  line: number;
  email: string;
  /** The gym's plan (matched by name, any case). */
  planId: string;
  startsOn: string;
  endsOn: string | null;
  /** Credits left on a credit plan; null on a plan without credits. */
  credits: number | null;
}

/** A plan of the gym as the import matches it: `credits` when it is a pack, drop-in or trial with credits. */
export interface ImportablePlan {
  id: string;
  name: string;
  credits: boolean;
}

/**
 * Reads and checks every data row. `today`: the gym's date (an empty start is today; a plan that already ended is
 * refused — only plans members hold now are imported). A second row with the same email is an error (one plan each).
 */
export function readHoldingRows(
  records: readonly (readonly string[])[],
  headers: readonly string[],
  mapping: HoldingMapping,
  plans: readonly ImportablePlan[],
  today: string,
): { rows: HoldingRow[]; errors: RowError<HoldingField>[] } {
  const planByKey = new Map(plans.map((p) => [nameKey(p.name), p]));
  const seen = new Map<string, number>();
  return readRows(records, headers, mapping, (cells) => {
    const { get, fail } = cells;
    const email = readEmail(cells, "No email address — plans are matched to members by email.");
    if (email !== null) {
      if (seen.has(email)) fail("email", `The same member as line ${seen.get(email)} — one plan per member.`);
      else seen.set(email, cells.line);
    }
    const plan = readNamed(
      cells,
      "plan",
      planByKey,
      "No plan.",
      (text) => `No plan named "${text}" in this gym — create it on Plans first.`,
    );
    const startText = get("startsOn");
    const startsOn = startText ? importDate(startText) : today;
    if (startsOn === null) fail("startsOn", notADate(startText));
    const endText = get("endsOn");
    const endsOn = endText ? importDate(endText) : null;
    if (endText && endsOn === null) fail("endsOn", notADate(endText));
    else if (endsOn !== null && startsOn !== null && endsOn < startsOn)
      fail("endsOn", `It ends (${endsOn}) before it starts (${startsOn}).`);
    else if (endsOn !== null && endsOn < today) fail("endsOn", `This plan ended on ${endsOn} — import only plans members hold now.`);
    const creditText = get("credits");
    const credits = /^\d+$/.test(creditText) ? Number(creditText) : null;
    if (creditText && (credits === null || credits > MAX_CREDITS))
      fail("credits", `"${creditText}" is not a number of credits (0 to ${MAX_CREDITS}).`);
    else if (plan && plan.credits && !creditText) fail("credits", `"${plan.name}" is a plan with credits — say how many are left.`);
    else if (plan && !plan.credits && creditText) fail("credits", `"${plan.name}" holds no credits — leave the cell empty.`);
    return () => ({
      line: cells.line,
      email: email!,
      planId: plan!.id,
      startsOn: startsOn!,
      endsOn,
      credits: plan!.credits ? credits : null,
    });
  });
}
