/**
 * Invitation routes: `POST /api/auth/invitation { token }` shows what a link offers (gym, role, address) or why it
 * no longer works; `POST /api/auth/invitation/accept { token, name }` accepts and signs in (refresh cookie set), or
 * answers `{ secondFactor }` when the gym requires staff to add a second step first.
 */
import { z } from "zod";
import type { Invitations } from "../../app/signin/invitations.js";
import { storableText } from "../../domain/protocol/text.js";
import { jsonBody } from "./emailSignInRoutes.js";
import { json, type Router } from "./router.js";
import { crossSite, requestInfo, signedInResponse } from "./sessionCookies.js";

const Token = z
  .string()
  .min(16)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/);
const PreviewSchema = z.strictObject({ token: Token });
const AcceptSchema = z.strictObject({ token: Token, name: storableText({ min: 1, max: 200 }) });

export function addInvitationRoutes(router: Router, d: { invitations: Invitations; now: () => number }): void {
  router.post("/api/auth/invitation", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const parsed = PreviewSchema.safeParse(jsonBody(req));
    if (!parsed.success)
      return json(400, {
        error: { code: "VALIDATION_FAILED", message: "This invitation link is incomplete — open it again from the mail." },
      });
    const found = await d.invitations.preview(parsed.data.token);
    if (!found.ok) return json(400, { error: { code: found.code, message: found.message } });
    const i = found.invitation;
    return json(200, { gymName: i.gymName, role: i.role, email: i.email, expiresAt: i.expiresAt });
  });

  router.post("/api/auth/invitation/accept", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const parsed = AcceptSchema.safeParse(jsonBody(req));
    if (!parsed.success) return json(400, { error: { code: "VALIDATION_FAILED", message: "Tell us your name (up to 200 characters)." } });
    const accepted = await d.invitations.accept(parsed.data.token, parsed.data.name, requestInfo(req));
    if (!accepted.ok) return json(400, { error: { code: accepted.code, message: accepted.message } });
    // Staff of a gym that requires a second factor set one up before the first session (the ticket redeems it).
    if ("secondFactor" in accepted) return json(200, { secondFactor: accepted.secondFactor });
    return signedInResponse(accepted.signedIn, d.now());
  });
}
