/**
 * Rate limits on every HTTP route: per address before any route runs, and per user once a route has verified who
 * is asking. The budgets are the socket limits' token buckets (`RateLimitStore`), shared through Redis when the node
 * has it, so a client spreading requests over nodes spends one budget.
 */
import type { RateLimitStore } from "../cluster/rateLimit.js";
import { json, type HttpRequest, type HttpResponse } from "./router.js";

/** The 429 every limited route answers: a stable code, the wait in words and in `Retry-After` (whole seconds). */
export function tooManyRequests(waitMs: number): HttpResponse {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return json(
    429,
    { error: { code: "RATE_LIMITED", message: `Too many requests — try again in ${seconds} s.`, retryAfterMs: waitMs } },
    { "retry-after": String(seconds) },
  );
}

export class HttpLimits {
  constructor(
    private readonly perAddress: RateLimitStore,
    private readonly perUser: RateLimitStore,
    private readonly now: () => number,
  ) {}

  /** Null when the request's address may go on, otherwise its 429. */
  async byAddress(req: HttpRequest): Promise<HttpResponse | null> {
    const wait = await this.perAddress.take(req.ip || "unknown", this.now());
    return wait > 0 ? tooManyRequests(wait) : null;
  }

  /** Null when this (verified) user may go on, otherwise their 429. */
  async byUser(userId: string): Promise<HttpResponse | null> {
    const wait = await this.perUser.take(userId, this.now());
    return wait > 0 ? tooManyRequests(wait) : null;
  }
}
