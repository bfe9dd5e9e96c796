/**
 * Importing the plans members hold (issue 18, docs/domain.md "Importing plans and bookings"): which column is which
 * (Mindbody, Glofox and PushPress names, or the owner's mapping) and each row read and checked in words against the
 * gym's plans. Pure; whether the email is a member here is decided with what the database knows.
 */
import {
  cellReader,
  EMAIL,
  hasControl,
  importDate,
  missingColumn,
  suggestColumns,
  type ColumnMapping,
  type RowError,
} from "./importColumns.js";
import { normalEmail } from "./members.js";

export const HoldingFields = ["email", "plan", "startsOn", "endsOn", "credits"] as const;
export type HoldingField = (typeof HoldingFields)[number];
export type HoldingMapping = ColumnMapping<HoldingField>;

/** The most rows one plans file may hold. */
export const MAX_HOLDING_ROWS = 20_000;

/** The most credits one row may give (a pack's balance, not a typo of a year). */
const MAX_CREDITS = 1_000;

const KnownColumns: Record<string, HoldingField> = {
  email: "email",
  emailaddress: "email",
  clientemail: "email",
  memberemail: "email",
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
  const get = cellReader(mapping, headers);
  const planByKey = new Map(plans.map((p) => [p.name.trim().toLowerCase(), p]));
  const seen = new Map<string, number>();
  const rows: HoldingRow[] = [];
  const errors: RowError<HoldingField>[] = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const problems: RowError<HoldingField>[] = [];
    const fail = (field: HoldingField | "row", message: string) => problems.push({ line, field, message });
    if (record.some(hasControl)) fail("row", "Holds control characters — save the file again as plain CSV (UTF-8).");
    const email = normalEmail(get(record, "email"));
    if (!email) fail("email", "No email address — plans are matched to members by email.");
    else if (!EMAIL.test(email) || email.length > 320) fail("email", `"${get(record, "email")}" is not an email address.`);
    else if (seen.has(email)) fail("email", `The same member as line ${seen.get(email)} — one plan per member.`);
    else seen.set(email, line);
    const planText = get(record, "plan");
    const plan = planByKey.get(planText.toLowerCase());
    if (!planText) fail("plan", "No plan.");
    else if (!plan) fail("plan", `No plan named "${planText}" in this gym — create it on Plans first.`);
    const startText = get(record, "startsOn");
    const startsOn = startText ? importDate(startText) : today;
    if (startsOn === null) fail("startsOn", `"${startText}" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.`);
    const endText = get(record, "endsOn");
    const endsOn = endText ? importDate(endText) : null;
    if (endText && endsOn === null) fail("endsOn", `"${endText}" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.`);
    else if (endsOn !== null && startsOn !== null && endsOn < startsOn)
      fail("endsOn", `It ends (${endsOn}) before it starts (${startsOn}).`);
    else if (endsOn !== null && endsOn < today) fail("endsOn", `This plan ended on ${endsOn} — import only plans members hold now.`);
    const creditText = get(record, "credits");
    const credits = /^\d+$/.test(creditText) ? Number(creditText) : null;
    if (creditText && (credits === null || credits > MAX_CREDITS))
      fail("credits", `"${creditText}" is not a number of credits (0 to ${MAX_CREDITS}).`);
    else if (plan && plan.credits && !creditText) fail("credits", `"${plan.name}" is a plan with credits — say how many are left.`);
    else if (plan && !plan.credits && creditText) fail("credits", `"${plan.name}" holds no credits — leave the cell empty.`);
    if (problems.length > 0) errors.push(...problems);
    else rows.push({ line, email, planId: plan!.id, startsOn: startsOn!, endsOn, credits: plan!.credits ? credits : null });
  });
  return { rows, errors };
}
