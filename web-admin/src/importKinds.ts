/**
 * What the import screen says for each kind of file (members, plans held, upcoming bookings, classes, visit history): its route, fields,
 * words, and how a dry run's and an import's counts read. The server decides; these are only the words.
 */
export type ImportKind = "members" | "plans" | "bookings" | "classes" | "visits";

/** The server's answer to a dry run or an import (`POST /api/imports/<kind>`). */
export interface ImportReport {
  columns: string[];
  mapping: Record<string, string>;
  sample: string[][];
  rows: number;
  errors: { line: number; field: string; message: string }[];
  errorCount: number;
  counts: Record<string, number>;
  committed: boolean;
  /** Classes only: rows skipped as already on the schedule (same class type, start and location). */
  duplicates?: { line: number; message: string }[];
  /** Members only. */
  invitationsSent?: number;
  notInvited?: number;
}

export interface ImportKindWords {
  title: string;
  file: string;
  intro: string;
  fields: readonly { field: string; label: string }[];
  /** How many rows the import would write. */
  writes(r: ImportReport): number;
  summary(r: ImportReport): string;
  nothing: string;
  commit(n: number): string;
  done(r: ImportReport): string;
}

type Noun = readonly [one: string, many: string];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The import button's words: "Import 3 classes". */
const importing =
  (...noun: Noun) =>
  (n: number) =>
    `Import ${plural(n, ...noun)}`;

/**
 * The words of a kind whose rows each write one `noun` (counted as `counts[key]`) or match one already there
 * (`counts.matched`, left as it is): "2 plans to give, 1 already held (left as they are)".
 */
const writesOrMatches = (key: string, noun: Noun, verb: { toDo: string; done: string; already: string }) => ({
  writes: (r: ImportReport) => r.counts[key] ?? 0,
  summary: (r: ImportReport) =>
    `${plural(r.counts[key] ?? 0, ...noun)} ${verb.toDo}, ${r.counts.matched ?? 0} ${verb.already} (left as they are)`,
  commit: importing(...noun),
  done: (r: ImportReport) =>
    `${plural(r.counts[key] ?? 0, ...noun)} ${verb.done}, ${r.counts.matched ?? 0} ${verb.already} left as they were.`,
});

export const ImportKinds: Readonly<Record<ImportKind, ImportKindWords>> = {
  members: {
    title: "Import members",
    file: "Your members file",
    intro: "A CSV export from your current software (Mindbody, Glofox, PushPress or any other): one member per row, with a header row.",
    fields: [
      { field: "name", label: "Full name" },
      { field: "firstName", label: "First name" },
      { field: "lastName", label: "Last name" },
      { field: "email", label: "Email" },
      { field: "phone", label: "Phone" },
      { field: "plan", label: "Plan" },
      { field: "status", label: "Status" },
      { field: "joinedOn", label: "Join date" },
      { field: "tags", label: "Tags" },
    ],
    writes: (r) => (r.counts.add ?? 0) + (r.counts.join ?? 0),
    summary: (r) =>
      `${plural(r.counts.add ?? 0, "new member", "new members")}, ${plural(r.counts.join ?? 0, "person", "people")} from another gym joining, ${r.counts.matched ?? 0} already ${r.counts.matched === 1 ? "a member" : "members"} (left as they are)`,
    nothing: "Everyone in this file is already a member — nothing to import.",
    commit: importing("member", "members"),
    done: (r) =>
      `${plural(r.counts.add ?? 0, "new member", "new members")} added, ${plural(r.counts.join ?? 0, "person", "people")} from another gym joined, ${r.counts.matched ?? 0} already ${r.counts.matched === 1 ? "a member" : "members"} left as they were.`,
  },
  plans: {
    title: "Import plans",
    file: "Your memberships file",
    intro:
      "The plans your members hold now (a memberships or pricing-options export): one member per row — their email, the plan's name as on Plans, start and end dates, and the credits left on a pack. Import your members first.",
    fields: [
      { field: "email", label: "Member email" },
      { field: "plan", label: "Plan" },
      { field: "startsOn", label: "Start date" },
      { field: "endsOn", label: "End date" },
      { field: "credits", label: "Credits left" },
    ],
    nothing: "Every plan in this file is already held — nothing to import.",
    ...writesOrMatches("assign", ["plan", "plans"], { toDo: "to give", done: "given", already: "already held" }),
  },
  bookings: {
    title: "Import upcoming bookings",
    file: "Your bookings file",
    intro:
      "Bookings of classes still to come: one booking per row — the member's email, the class's name (its class type), date and start time in your gym's time zone. The classes must be on your schedule; a class never takes more than its spots.",
    fields: [
      { field: "email", label: "Member email" },
      { field: "classType", label: "Class" },
      { field: "date", label: "Date (or date and time)" },
      { field: "time", label: "Start time" },
    ],
    nothing: "Everyone in this file is already booked — nothing to import.",
    ...writesOrMatches("book", ["booking", "bookings"], { toDo: "to make", done: "made", already: "already booked" }),
  },
  classes: {
    title: "Import classes",
    file: "Your classes file",
    intro:
      "Your classes, past ones too (a history): one class per row — its name (a class type; new names are added), date and start time in your gym's time zone, location and room as named in Settings, duration in minutes (60 if none) and spots (20 if none). A class already on the schedule — same class, start and location — is skipped.",
    fields: [
      { field: "classType", label: "Class" },
      { field: "date", label: "Date (or date and time)" },
      { field: "time", label: "Start time" },
      { field: "location", label: "Location" },
      { field: "room", label: "Room" },
      { field: "duration", label: "Duration (minutes)" },
      { field: "capacity", label: "Spots" },
    ],
    writes: (r) => r.counts.add ?? 0,
    summary: (r) =>
      `${plural(r.counts.add ?? 0, "class", "classes")} to add (${plural(r.counts.newTypes ?? 0, "new class type", "new class types")}), ${plural(r.counts.duplicate ?? 0, "duplicate", "duplicates")} already on the schedule (skipped)`,
    nothing: "Every class in this file is already on the schedule — nothing to import.",
    commit: importing("class", "classes"),
    done: (r) =>
      `${plural(r.counts.add ?? 0, "class", "classes")} added (${plural(r.counts.newTypes ?? 0, "new class type", "new class types")}), ${plural(r.counts.duplicate ?? 0, "duplicate", "duplicates")} skipped.`,
  },
  visits: {
    title: "Import visit history",
    file: "Your visits file",
    intro:
      "Who came to which class (a visits or attendance export): one visit per row — the member's email, the class's name (its class type), date and start time in your gym's time zone, and whether they checked in or didn't show (checked in if empty). The classes must be on your schedule and have started — import your members and the class history first. No-show fees aren't charged.",
    fields: [
      { field: "email", label: "Member email" },
      { field: "classType", label: "Class" },
      { field: "date", label: "Date (or date and time)" },
      { field: "time", label: "Start time" },
      { field: "outcome", label: "Checked in / no-show" },
    ],
    writes: (r) => (r.counts.checkedIn ?? 0) + (r.counts.noShow ?? 0),
    summary: (r) =>
      `${plural(r.counts.checkedIn ?? 0, "visit", "visits")} and ${plural(r.counts.noShow ?? 0, "no-show", "no-shows")} to add, ${r.counts.matched ?? 0} already recorded (left as they are)`,
    nothing: "Every visit in this file is already recorded — nothing to import.",
    commit: (n) => `Import ${plural(n, "visit", "visits")}`,
    done: (r) =>
      `${plural(r.counts.checkedIn ?? 0, "visit", "visits")} and ${plural(r.counts.noShow ?? 0, "no-show", "no-shows")} added, ${r.counts.matched ?? 0} already recorded left as they were.`,
  },
};
