/**
 * Waiver requests and the desk's walk-in (issue 18), on room `gym:<gymId>`; registered with the other admin requests
 * in `admin.ts`. See docs/domain.md "Policies and waivers" and "Walk-ins and overrides".
 */
import { z } from "zod";
import { WaiverEnforcements } from "../model.js";
import { Id, LocalDate } from "./fields.js";
import { storableText } from "./text.js";

/** A version's name as staff write it: "2027-01", "v3". */
const Version = storableText({ min: 1, max: 40, required: "Name the version" }).refine(
  (v) => /^[\w.\- ]+$/.test(v),
  "Use letters, digits, dots, dashes or spaces",
);

/** A policy document's key as staff write it: "waiver", "house-rules". */
export const DocumentKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use 1–40 lowercase letters, digits or dashes, e.g. house-rules");

/** Someone added on the spot (a walk-in): the same fields and duplicate rules as `gym:addMember`. */
export const NewPerson = z.strictObject({
  name: storableText({ min: 1, max: 200, required: "Required" }),
  email: z.string().trim().toLowerCase().pipe(z.email("Check the email address").max(320)),
  phone: storableText({ max: 40 }).optional(),
});

export const WaiverSchemas = {
  /**
   * Owners and admins: publish a new version of a policy document → `{ waiverId, document, version, title,
   * effectiveOn, textHash, required }`. `document` names which (default "waiver", the liability waiver; a new key
   * starts a new document, at most 10 a gym); `required` says where a missing acceptance of this version refuses
   * (`off`, `check_in`, `booking` = to book and to check in; absent: the gym's default `waiverRequired`). It applies
   * from `effectiveOn` (a gym date, today or later; default today); members who signed an older version of the same
   * document sign again. A published version never changes: new text is a new version; version names are unique in
   * the gym.
   * @example { document: "house-rules", title: "House rules", version: "rules-1", text: "Re-rack your weights…", required: "booking" }
   */
  "gym:publishWaiver": z.strictObject({
    document: DocumentKey.optional(),
    title: storableText({ min: 1, max: 200, required: "Give it a title" }),
    version: Version,
    text: storableText({ min: 20, max: 20_000, required: "Paste the waiver's text" }),
    effectiveOn: LocalDate.optional(),
    required: z.enum(WaiverEnforcements).optional(),
  }),
  /**
   * Anyone in the gym: the policies for me → `{ required, current, upcoming, documents: [{ document, title, required,
   * current, upcoming }] }`, each version `{ waiverId, document, version, title, text, effectiveOn, textHash, required,
   * signedAt }` or null; a document's `required` is what its version in force (else the next) requires (`off`,
   * `check_in`, `booking`). The top-level fields are the liability waiver's (document "waiver").
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
   * Staff: for each document the version in force (or the next one before any applies), its versions, and the members
   * who haven't signed it → `{ required, current, versions, unsignedTotal, unsigned, documents: [{ document, title,
   * required, current, versions, unsignedTotal, unsigned: [{ memberId, name, email, status }] }] }` (the first 200 by
   * name per document; the top-level fields are the liability waiver's).
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
