/**
 * Waiver requests and the desk's walk-in (issue 18), on room `gym:<gymId>`; registered with the other admin requests
 * in `admin.ts`. See docs/domain.md "Policies and waivers" and "Walk-ins and overrides".
 */
import { z } from "zod";
import { Id, LocalDate } from "./fields.js";
import { storableText } from "./text.js";

/** A version's name as staff write it: "2027-01", "v3". */
const Version = storableText({ min: 1, max: 40, required: "Name the version" }).refine(
  (v) => /^[\w.\- ]+$/.test(v),
  "Use letters, digits, dots, dashes or spaces",
);

/** Someone added on the spot (a walk-in): the same fields and duplicate rules as `gym:addMember`. */
export const NewPerson = z.strictObject({
  name: storableText({ min: 1, max: 200, required: "Required" }),
  email: z.string().trim().toLowerCase().pipe(z.email("Check the email address").max(320)),
  phone: storableText({ max: 40 }).optional(),
});

export const WaiverSchemas = {
  /**
   * Owners and admins: publish a new waiver version → `{ waiverId, version, title, effectiveOn, textHash }`. It applies
   * from `effectiveOn` (a gym date, today or later; default today); members who signed an older one sign again. A
   * published version never changes: new text is a new version.
   * @example { title: "Liability waiver", version: "2027-01", text: "I train at my own risk…", effectiveOn: "2027-01-01" }
   */
  "gym:publishWaiver": z.strictObject({
    title: storableText({ min: 1, max: 200, required: "Give it a title" }),
    version: Version,
    text: storableText({ min: 20, max: 20_000, required: "Paste the waiver's text" }),
    effectiveOn: LocalDate.optional(),
  }),
  /**
   * Anyone in the gym: the waiver for me → `{ required, current, upcoming }`, each version
   * `{ waiverId, version, title, text, effectiveOn, textHash, signedAt }` or null. `required` is the gym's setting
   * (`off`, `check_in`, `booking`).
   */
  "gym:waiver": z.strictObject({}),
  /**
   * Anyone in the gym, for themself: sign a version by typing their full name and ticking the box →
   * `{ signatureId, version, textHash, signedAt, alreadySigned }`. Kept as evidence with the time, the device's
   * address and user agent; it never changes. A replaced version answers VALIDATION_FAILED.
   * @example { version: "2027-01", typedName: "Ana Silva", agree: true }
   */
  "gym:signWaiver": z.strictObject({
    version: Version,
    typedName: storableText({ min: 1, max: 200, required: "Type your full name" }),
    agree: z.literal(true, "Tick the box to agree"),
  }),
  /**
   * Staff: the version in force (or the next one before any applies), every published version, and the members who
   * haven't signed it → `{ required, current, versions, unsignedTotal, unsigned: [{ memberId, name, email, status }] }`
   * (the first 200 by name).
   */
  "gym:waiverStatus": z.strictObject({}),
  /**
   * Owners, admins, front desk: someone who isn't a member drops in — add them (tagged `walk-in`, same duplicate rules
   * as `gym:addMember`), optionally as a drop-in or trial (`planId` of such a plan: credits sold as an open sale in
   * their account, or the trial assigned), and check them in to open gym at once → `{ memberId, checkIn }` with the
   * desk's answer. Into a class: `gym:rosterWalkIn`.
   * @example { name: "Jo Walker", email: "jo@example.com", planId }
   */
  "gym:walkIn": NewPerson.extend({ planId: Id.optional() }),
} as const;
