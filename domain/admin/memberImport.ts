/**
 * Importing members from another gym software's CSV export (issue 18, docs/domain.md "Importing members"): which
 * column is which field (known column names of Mindbody, Glofox and PushPress, or the owner's mapping), each row read
 * and checked in words, and what the import would do with it. Pure: the file arrives parsed into rows of strings.
 */
import { EmailColumns, importDate, missingColumn, suggestColumns, type RowError as ImportRowError } from "./importColumns.js";
import { nameKey, notADate, readEmail, readRows } from "./importRows.js";
import type { MembershipStatus } from "../model.js";

/** The fields a row can fill. A name comes whole (`name`) or in parts (`firstName`, `lastName`). */
export const ImportFields = ["name", "firstName", "lastName", "email", "phone", "plan", "status", "joinedOn", "tags"] as const;
export type ImportField = (typeof ImportFields)[number];

/** Which column (its header, as in the file) fills which field; a field without a column stays empty. */
export type ImportMapping = Partial<Record<ImportField, string>>;

/** The most rows one file may hold (the route caps the bytes too). */
export const MAX_IMPORT_ROWS = 20_000;

/** Column names other systems export, compared without case, spaces, dashes and underscores. */
const KnownColumns: Record<string, ImportField> = {
  name: "name",
  fullname: "name",
  clientname: "name",
  membername: "name",
  customername: "name",
  firstname: "firstName",
  first: "firstName",
  givenname: "firstName",
  forename: "firstName",
  lastname: "lastName",
  last: "lastName",
  surname: "lastName",
  familyname: "lastName",
  ...EmailColumns,
  mail: "email",
  phone: "phone",
  phonenumber: "phone",
  mobile: "phone",
  mobilephone: "phone",
  cellphone: "phone",
  cell: "phone",
  telephone: "phone",
  homephone: "phone",
  plan: "plan",
  planname: "plan",
  membership: "plan",
  membershipname: "plan",
  membershiptype: "plan",
  currentmembership: "plan",
  contract: "plan",
  pricingoption: "plan",
  status: "status",
  membershipstatus: "status",
  memberstatus: "status",
  clientstatus: "status",
  accountstatus: "status",
  joindate: "joinedOn",
  joinedon: "joinedOn",
  joined: "joinedOn",
  membersince: "joinedOn",
  creationdate: "joinedOn",
  created: "joinedOn",
  createdat: "joinedOn",
  startdate: "joinedOn",
  signupdate: "joinedOn",
  datecreated: "joinedOn",
  firstvisit: "joinedOn",
  tags: "tags",
  tag: "tags",
  labels: "tags",
  groups: "tags",
};

/**
 * The mapping the file's headers suggest: each known column name to its field, the first column winning. The owner
 * sees it in the preview and may change it.
 * @example suggestMapping(["First Name", "Last Name", "Email", "Mobile Phone"]) // { firstName: "First Name", lastName: "Last Name", email: "Email", phone: "Mobile Phone" }
 */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const mapping = suggestColumns(headers, KnownColumns);
  // A whole name wins over parts only when there are no parts to combine.
  if (mapping.name !== undefined && (mapping.firstName !== undefined || mapping.lastName !== undefined)) delete mapping.name;
  return mapping;
}

/** What is wrong with a mapping against the file's headers, in words; null when it can be used. */
export function mappingProblem(mapping: ImportMapping, headers: readonly string[]): string | null {
  const missing = missingColumn(mapping, headers);
  if (missing) return missing;
  if (mapping.email === undefined) return "Pick the column that holds the email address: members are matched by email.";
  if (mapping.name === undefined && mapping.firstName === undefined && mapping.lastName === undefined)
    return "Pick the column (or the first and last name columns) that holds the name.";
  return null;
}

/** One member as the file describes them, checked. */
export interface ImportRow {
  /** Line in the file (the header is line 1), as a spreadsheet numbers it. */
  line: number;
  name: string;
  email: string;
  phone: string | null;
  /** The plan's name as in the gym (matched without case), or null. */
  plan: string | null;
  status: Exclude<MembershipStatus, "pending">;
  /** Gym date the member joined; null: the day of the import. */
  joinedOn: string | null;
  tags: string[];
}

/** Why a row can't be imported: its line, the field and what to do. */
export type RowError = ImportRowError<ImportField>;

export { importDate };

const StatusWords: Record<string, ImportRow["status"]> = {
  "": "active",
  active: "active",
  current: "active",
  ok: "active",
  member: "active",
  trial: "active",
  frozen: "frozen",
  freeze: "frozen",
  suspended: "frozen",
  onhold: "frozen",
  hold: "frozen",
  paused: "frozen",
  pastdue: "past_due",
  overdue: "past_due",
  declined: "past_due",
  unpaid: "past_due",
  delinquent: "past_due",
  cancelled: "cancelled",
  canceled: "cancelled",
  inactive: "cancelled",
  terminated: "cancelled",
  expired: "cancelled",
  former: "cancelled",
  ended: "cancelled",
};

/**
 * Reads and checks every data row (`records` without the header). Each problem is a {@link RowError} in words; a row
 * with any problem is left out of `rows`. A second row with an email already in the file is an error (one person).
 * `plans`: the gym's plan names, any case.
 */
export function readImportRows(
  records: readonly (readonly string[])[],
  headers: readonly string[],
  mapping: ImportMapping,
  plans: readonly string[],
): { rows: ImportRow[]; errors: RowError[] } {
  const planByKey = new Map(plans.map((p) => [nameKey(p), p]));
  const seen = new Map<string, number>();
  return readRows(records, headers, mapping, (cells) => {
    const { get, fail } = cells;
    const name = get("name") || [get("firstName"), get("lastName")].filter(Boolean).join(" ");
    if (!name) fail("name", "No name.");
    else if (name.length > 200) fail("name", "The name is longer than 200 characters.");
    const email = readEmail(cells, "No email address — members are matched and invited by email.");
    if (email !== null) {
      if (seen.has(email)) fail("email", `The same email as line ${seen.get(email)} — one person per email.`);
      else seen.set(email, cells.line);
    }
    const phone = get("phone");
    if (phone.length > 40) fail("phone", "The phone number is longer than 40 characters.");
    const planText = get("plan");
    const plan = planText ? (planByKey.get(planText.toLowerCase()) ?? null) : null;
    if (planText && plan === null)
      fail("plan", `No plan named "${planText}" in this gym — create it on Plans first, or leave the cell empty.`);
    const statusText = get("status");
    const status = StatusWords[statusText.toLowerCase().replace(/[\s_\-]/g, "")];
    if (status === undefined) fail("status", `Unknown status "${statusText}" — use active, frozen, past due or cancelled.`);
    const joinedText = get("joinedOn");
    const joinedOn = joinedText ? importDate(joinedText) : null;
    if (joinedText && joinedOn === null) fail("joinedOn", notADate(joinedText));
    const tags = [
      ...new Set(
        get("tags")
          .split(/[;,|]/)
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (tags.length > 20) fail("tags", "More than 20 tags.");
    else if (tags.some((t) => t.length > 40)) fail("tags", "A tag is longer than 40 characters.");
    return () => ({ line: cells.line, name, email: email!, phone: phone || null, plan, status: status!, joinedOn, tags });
  });
}

/** What the import does with a row: a new person, a person of another gym who becomes a member here, or already a member (left as is). */
export type ImportAction = "add" | "join" | "matched";

/** Each row's action, from whom the database knows by email: `members` of this gym, `users` of any gym. */
export function importActions(
  rows: readonly ImportRow[],
  known: { members: ReadonlySet<string>; users: ReadonlySet<string> },
): ImportAction[] {
  return rows.map((r) => (known.members.has(r.email) ? "matched" : known.users.has(r.email) ? "join" : "add"));
}
