/**
 * The member import's upload route (issue 18): `POST /api/imports/members?gym=<id>&commit=0|1&invite=0|1&mapping=<json>`
 * with the CSV file as the body (up to `MAX_UPLOAD_BYTES`, read in pieces by the transport — not the 64 KiB message
 * limit). Owners and admins of that gym only, bearer header and the app's `X-Spotter: 1`, per-user rate limit.
 * Answers the dry run's or the import's report (`app/admin/memberImport.ts`).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { MAX_IMPORT_INVITATIONS } from "../../app/admin/importInvitations.js";
import { importMembers, type ImportStore } from "../../app/admin/memberImport.js";
import type { StandingNotifier } from "../../app/admin/ports.js";
import { ImportFields, type ImportMapping } from "../../domain/admin/memberImport.js";
import { DomainError } from "../../domain/errors.js";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import { AdminRoles } from "../../domain/roles.js";
import type { TokenVerifier } from "../auth.js";
import type { AccessControl } from "../realtime/access.js";
import { bearer } from "./factorHttp.js";
import type { HttpLimits } from "./httpLimits.js";
import { IMPORT_PATH, json, type Router } from "./router.js";
import { crossSite } from "./sessionCookies.js";

export { MAX_IMPORT_INVITATIONS };

export interface ImportRouteDeps {
  store: ImportStore;
  access: AccessControl;
  verifier: TokenVerifier;
  limits: HttpLimits;
  now: () => number;
  notes: Pick<StandingNotifier, "gymChanged">;
  /** Mails each address an invitation to the gym (sign-in work); absent where the node sends no mail. */
  invite?: ((gymId: string, invitedBy: string, emails: readonly string[]) => Promise<number>) | undefined;
}

const Mapping = z.partialRecord(z.enum(ImportFields), z.string().max(200));
const Query = z.object({
  gym: UuidSchema,
  commit: z.enum(["0", "1"]).default("0"),
  invite: z.enum(["0", "1"]).default("0"),
  mapping: z.string().max(4_000).optional(),
});

const Status: Record<string, number> = { VALIDATION_FAILED: 400, CONFLICT: 409, FORBIDDEN: 403, NOT_FOUND: 404 };
const refused = (e: DomainError) => json(Status[e.code] ?? 400, { error: e.toAck() });

export function addImportRoutes(router: Router, d: ImportRouteDeps): void {
  const ports = { store: d.store, notes: d.notes, newId: randomUUID };
  router.post(IMPORT_PATH, async (req) => {
    const cross = crossSite(req);
    if (cross) return cross;
    const who = await bearer(req, d.verifier, d.limits);
    if (!who.ok) return who.response;
    const q = Query.safeParse(Object.fromEntries(req.query));
    if (!q.success)
      return json(400, { error: { code: "VALIDATION_FAILED", message: "Say which gym, and whether to import or only check the file." } });
    const m = await d.access.membership(who.userId, q.data.gym);
    if (!m) return json(404, { error: { code: "NOT_FOUND", message: "No such gym." } });
    if (!(AdminRoles as readonly string[]).includes(m.role) || m.status !== "active")
      return json(403, { error: { code: "FORBIDDEN", message: "Only owners and admins import members." } });
    let mapping: ImportMapping | undefined;
    if (q.data.mapping !== undefined) {
      const parsed = Mapping.safeParse(safeJson(q.data.mapping));
      if (!parsed.success)
        return json(400, { error: { code: "VALIDATION_FAILED", message: "The column mapping is not readable — pick the columns again." } });
      mapping = parsed.data;
    }
    const csv = new TextDecoder("utf-8").decode(req.body);
    const actor = { userId: who.userId, role: m.role, gymId: q.data.gym, commandId: null, now: d.now() };
    const report = await importMembers(ports, actor, { csv, mapping, commit: q.data.commit === "1" });
    if (report instanceof DomainError) return refused(report);
    const { added, ...shown } = report;
    const invited =
      report.committed && q.data.invite === "1" && d.invite
        ? await d.invite(q.data.gym, who.userId, added.slice(0, MAX_IMPORT_INVITATIONS))
        : 0;
    return json(200, { ...shown, invitationsSent: invited, notInvited: q.data.invite === "1" ? added.length - invited : 0 });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
