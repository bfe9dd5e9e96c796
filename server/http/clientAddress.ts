/**
 * The address a request came from. Behind a reverse proxy (TLS termination, a load balancer) every peer address is
 * the proxy's, so per-address limits would throttle the whole gym together and loopback checks would pass for
 * everyone. With `TRUST_PROXY=n` the address is read from `X-Forwarded-For`, counting n proxies from the right —
 * entries further left were written by the client and are never trusted. With 0 (the default) the header is ignored.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  if (trustedHops <= 0 || forwardedFor === undefined) return peer;
  const listed = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a.length > 0 && a.length <= 64);
  const chain = [...listed, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}
