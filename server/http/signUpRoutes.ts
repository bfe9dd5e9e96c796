/**
 * Self sign-up (members, where the gym allows it): `POST /api/auth/sign-up { gymId, email, acceptPolicies: true }`
 * mails the address a link of its own to join (accepted like an invitation). Same answer for every address.
 */
import { z } from "zod";
import { requestSignUp, type SignUpDeps } from "../../app/signin/signUp.js";
import { jsonBody } from "./emailSignInRoutes.js";
import { json, type Router } from "./router.js";
import { crossSite, requestInfo } from "./sessionCookies.js";

const SignUpSchema = z.strictObject({
  gymId: z.uuid(),
  email: z.string().trim().toLowerCase().max(320).email("must be an email address"),
  acceptPolicies: z.literal(true, "accept the gym's terms and privacy policy to join"),
});

const STATUS = { RATE_LIMITED: 429, METHOD_DISABLED: 403, LIMIT_EXCEEDED: 409 } as const;

export function addSignUpRoutes(router: Router, d: SignUpDeps): void {
  router.post("/api/auth/sign-up", async (req) => {
    const refused = crossSite(req);
    if (refused) return refused;
    const parsed = SignUpSchema.safeParse(jsonBody(req));
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.map(String).join(".") || "body", i.message]));
      return json(400, {
        error: { code: "VALIDATION_FAILED", message: "Enter your email address and accept the gym's terms to join.", fields },
      });
    }
    const outcome = await requestSignUp(d, parsed.data, requestInfo(req));
    if (outcome.ok) return json(202, { message: outcome.message });
    const headers: Record<string, string> = outcome.retryAfterMs ? { "retry-after": String(Math.ceil(outcome.retryAfterMs / 1000)) } : {};
    return json(
      STATUS[outcome.code],
      { error: { code: outcome.code, message: outcome.message, ...(outcome.retryAfterMs ? { retryAfterMs: outcome.retryAfterMs } : {}) } },
      headers,
    );
  });
}
