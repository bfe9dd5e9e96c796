/**
 * The imports' upload routes (issue 18), each `POST <path>?gym=<id>&commit=0|1&mapping=<json>` with the CSV file as
 * the body (up to `MAX_UPLOAD_BYTES`, read in pieces by the transport — not the 64 KiB message limit):
 * `/api/imports/members` (also `invite=0|1`), `/api/imports/plans` (plans members hold) and `/api/imports/bookings`
 * (upcoming bookings), `/api/imports/classes` (classes, past ones too: a history), `/api/imports/visits` (visit history). Owners and admins of that gym only, bearer header and the app's `X-Spotter: 1`, per-user rate
 * limit — all checked before a byte of the file is read; then the file is parsed as it arrives (papaparse streaming)
 * and refused with 413 the moment it passes the cap. Each answers the dry run's or the import's report
 * (`app/admin/memberImport.ts`, `holdingImport.ts`, `bookingImport.ts`, `classImport.ts`, `visitImport.ts`).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { importBookings, type BookingImportPorts } from "../../app/admin/bookingImport.js";
import { importClassFile, type ClassImportPorts } from "../../app/admin/classImport.js";
import { importHoldings, type HoldingImportStore } from "../../app/admin/holdingImport.js";
import { MAX_IMPORT_INVITATIONS } from "../../app/admin/importInvitations.js";
import { readCsvRows, TooManyRows } from "../../app/admin/importFile.js";
import { importMembers, type ImportStore } from "../../app/admin/memberImport.js";
import { importVisitFile, type VisitImportPorts } from "../../app/admin/visitImport.js";
import { MAX_VISIT_ROWS, VisitFields } from "../../domain/admin/visitImport.js";
import type { AdminActor, StandingNotifier } from "../../app/admin/ports.js";
import { BookingFields, MAX_BOOKING_ROWS } from "../../domain/admin/bookingImport.js";
import { ClassFields, MAX_CLASS_ROWS } from "../../domain/admin/classImport.js";
import { HoldingFields } from "../../domain/admin/holdingImport.js";
import { ImportFields, MAX_IMPORT_ROWS } from "../../domain/admin/memberImport.js";
import { DomainError } from "../../domain/errors.js";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import { AdminRoles } from "../../domain/roles.js";
import type { TokenVerifier } from "../auth.js";
import type { AccessControl } from "../realtime/access.js";
import { bearer } from "./factorHttp.js";
import type { RateLimitStore } from "../cluster/rateLimit.js";
import { tooManyRequests, type HttpLimits } from "./httpLimits.js";
import {
  BOOKING_IMPORT_PATH,
  CLASS_IMPORT_PATH,
  IMPORT_PATH,
  VISIT_IMPORT_PATH,
  json,
  PLAN_IMPORT_PATH,
  type HttpRequest,
  type HttpResponse,
  type Router,
} from "./router.js";
import { crossSite } from "./sessionCookies.js";
import { bodyPieces, BodyTimedOut, BodyTooLarge, payloadTooLarge, requestTimedOut } from "./uploadBody.js";

export { MAX_IMPORT_INVITATIONS };

export interface ImportRouteDeps {
  store: ImportStore;
  /** The plans-held import's store. */
  holdings: HoldingImportStore;
  /** The visit history import's reads and where it writes (`importHistory`). */
  visits: Omit<VisitImportPorts, "notes">;
  /** The bookings import's reads and the class rooms that book. */
  bookings: BookingImportPorts;
  /** The classes import's reads and where it writes (`importClasses`). */
  classes: ClassImportPorts;
  access: AccessControl;
  verifier: TokenVerifier;
  limits: HttpLimits;
  now: () => number;
  notes: Pick<StandingNotifier, "gymChanged">;
  /** Imports that write (`commit=1`), any kind, per user and gym: a bookings import is thousands of room commands. */
  commits: RateLimitStore;
  /** Mails each address an invitation to the gym (sign-in work); absent where the node sends no mail. */
  invite?: ((gymId: string, invitedBy: string, emails: readonly string[]) => Promise<number>) | undefined;
}

const Query = z.object({
  gym: UuidSchema,
  commit: z.enum(["0", "1"]).default("0"),
  invite: z.enum(["0", "1"]).default("0"),
  mapping: z.string().max(4_000).optional(),
});
type ImportQuery = z.output<typeof Query>;

const Status: Record<string, number> = { VALIDATION_FAILED: 400, LIMIT_EXCEEDED: 400, CONFLICT: 409, FORBIDDEN: 403, NOT_FOUND: 404 };
const refused = (e: DomainError) => json(Status[e.code] ?? 400, { error: e.toAck() });
const unreadableMapping = () =>
  json(400, { error: { code: "VALIDATION_FAILED", message: "The column mapping is not readable — pick the columns again." } });

/**
 * The one gate of every import: same site, signed in within budget, an owner or admin of the gym, within the commit
 * budget; only then the file (stopped past `maxRows`, the kind's own cap applied after) — and, the file read, the
 * sign-in and the role checked again, so a session ended or an admin removed while the upload trickled imports nothing.
 */
function importRoute(
  d: ImportRouteDeps,
  fields: readonly [string, ...string[]],
  run: (
    actor: AdminActor,
    input: { rows: string[][]; mapping: Record<string, string> | undefined; commit: boolean },
    q: ImportQuery,
  ) => Promise<HttpResponse>,
  maxRows = MAX_IMPORT_ROWS,
) {
  const Mapping = z.partialRecord(z.enum(fields), z.string().max(200));
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const cross = crossSite(req);
    if (cross) return cross;
    const who = await bearer(req, d.verifier, d.limits);
    if (!who.ok) return who.response;
    const q = Query.safeParse(Object.fromEntries(req.query));
    if (!q.success)
      return json(400, { error: { code: "VALIDATION_FAILED", message: "Say which gym, and whether to import or only check the file." } });
    const m = await d.access.membership(who.userId, q.data.gym);
    const notAdmin = adminRefusal(m);
    if (notAdmin) return notAdmin;
    let mapping: Record<string, string> | undefined;
    if (q.data.mapping !== undefined) {
      const parsed = Mapping.safeParse(safeJson(q.data.mapping));
      if (!parsed.success) return unreadableMapping();
      mapping = parsed.data as Record<string, string>;
    }
    if (q.data.commit === "1") {
      const wait = await d.commits.take(`${who.userId}:${q.data.gym}`, d.now());
      if (wait > 0) return tooManyRequests(wait);
    }
    let rows: string[][];
    try {
      rows = await readCsvRows(bodyPieces(req), maxRows);
    } catch (err) {
      if (err instanceof BodyTooLarge) return payloadTooLarge();
      if (err instanceof BodyTimedOut) return requestTimedOut();
      if (err instanceof TooManyRows) return refused(err.error);
      throw err;
    }
    const again = await d.verifier.verify(req.headers.authorization?.replace(/^Bearer /, ""));
    if (!again.ok || again.identity.userId !== who.userId)
      return json(401, { error: { code: "UNAUTHENTICATED", message: "Your session ended during the upload — sign in again." } });
    const still = await d.access.membership(who.userId, q.data.gym);
    const revoked = adminRefusal(still);
    if (revoked || !still) return revoked!;
    const actor = { userId: who.userId, role: still.role, gymId: q.data.gym, commandId: null, now: d.now() };
    return run(actor, { rows, mapping, commit: q.data.commit === "1" }, q.data);
  };
}

export function addImportRoutes(router: Router, d: ImportRouteDeps): void {
  const ports = { store: d.store, notes: d.notes, newId: randomUUID };
  router.post(
    IMPORT_PATH,
    importRoute(d, ImportFields, async (actor, input, q) => {
      const report = await importMembers(ports, actor, input);
      if (report instanceof DomainError) return refused(report);
      const { added, ...shown } = report;
      const invited =
        report.committed && q.invite === "1" && d.invite ? await d.invite(q.gym, actor.userId, added.slice(0, MAX_IMPORT_INVITATIONS)) : 0;
      return json(200, { ...shown, invitationsSent: invited, notInvited: q.invite === "1" ? added.length - invited : 0 });
    }),
  );
  router.post(
    PLAN_IMPORT_PATH,
    importRoute(d, HoldingFields, async (actor, input) => {
      const report = await importHoldings({ store: d.holdings, notes: d.notes }, actor, input);
      return report instanceof DomainError ? refused(report) : json(200, report);
    }),
  );
  router.post(
    BOOKING_IMPORT_PATH,
    importRoute(
      d,
      BookingFields,
      async (actor, input) => {
        const report = await importBookings(d.bookings, actor, input);
        return report instanceof DomainError ? refused(report) : json(200, report);
      },
      MAX_BOOKING_ROWS,
    ),
  );
  router.post(
    CLASS_IMPORT_PATH,
    importRoute(
      d,
      ClassFields,
      async (actor, input) => {
        const report = await importClassFile(d.classes, actor, input);
        return report instanceof DomainError ? refused(report) : json(200, report);
      },
      MAX_CLASS_ROWS,
    ),
  );
  router.post(
    VISIT_IMPORT_PATH,
    importRoute(
      d,
      VisitFields,
      async (actor, input) => {
        const report = await importVisitFile({ ...d.visits, notes: d.notes }, actor, input);
        return report instanceof DomainError ? refused(report) : json(200, report);
      },
      MAX_VISIT_ROWS,
    ),
  );
}

/** The refusal of someone who is not (or no longer) an active owner or admin of the gym; null when they are. */
function adminRefusal(m: { role: string; status: string } | null): HttpResponse | null {
  if (!m) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
  if (!(AdminRoles as readonly string[]).includes(m.role) || m.status !== "active")
    return json(403, { error: { code: "FORBIDDEN", message: "Only owners and admins import." } });
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
