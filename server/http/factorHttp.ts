/** What the factor routes share: JSON bodies through zod, refusals as HTTP answers, the bearer check. */
import type { z } from "zod";
import type { FactorError } from "../../app/signin/factorErrors.js";
import type { TokenVerifier } from "../auth.js";
import type { HttpLimits } from "./httpLimits.js";
import { tooManyRequests } from "./httpLimits.js";
import { json, type HttpRequest, type HttpResponse } from "./router.js";

const STATUS: Record<FactorError["code"], number> = {
  INVALID_CREDENTIALS: 401,
  CHALLENGE_EXPIRED: 400,
  RATE_LIMITED: 429,
  WEAK_PASSWORD: 400,
  METHOD_DISABLED: 403,
  ALREADY_SET_UP: 409,
  NOT_FOUND: 404,
  LIMIT_EXCEEDED: 409,
  UNAVAILABLE: 503,
};

/** A factor refusal as an HTTP answer: stable code, words, and `Retry-After` when rate-limited. */
export function refusal(e: FactorError): HttpResponse {
  if (e.code === "RATE_LIMITED") {
    const res = tooManyRequests(e.retryAfterMs ?? 1_000);
    return { ...res, body: JSON.stringify({ error: { code: e.code, message: e.message, retryAfterMs: e.retryAfterMs } }) };
  }
  return json(STATUS[e.code], { error: { code: e.code, message: e.message } });
}

/** The request's JSON body checked by `schema`, or the 400 to answer. */
export function body<T extends z.ZodType>(
  req: HttpRequest,
  schema: T,
): { ok: true; value: z.output<T> } | { ok: false; response: HttpResponse } {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(req.body) || "null");
  } catch {
    return { ok: false, response: json(400, { error: { code: "VALIDATION_FAILED", message: "The request body is not JSON." } }) };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  // Field names only: a value (a password, a code) is never echoed back.
  const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message]));
  return {
    ok: false,
    response: json(400, {
      error: { code: "VALIDATION_FAILED", message: "Some details are missing or wrong — check the highlighted fields.", fields },
    }),
  };
}

/** The verified user of a `Authorization: Bearer` request (within their HTTP budget), or the answer to send. */
export async function bearer(
  req: HttpRequest,
  verifier: TokenVerifier,
  limits: HttpLimits,
): Promise<{ ok: true; userId: string } | { ok: false; response: HttpResponse }> {
  const header = req.headers.authorization ?? "";
  const who = await verifier.verify(header.startsWith("Bearer ") ? header.slice(7) : undefined);
  if (!who.ok) return { ok: false, response: json(401, { error: { code: who.code, message: who.message } }) };
  const limited = await limits.byUser(who.identity.userId);
  return limited ? { ok: false, response: limited } : { ok: true, userId: who.identity.userId };
}

/** The factor use cases' view of a request. */
export const originOf = (req: HttpRequest, now: number) => ({ ip: req.ip || null, now });
