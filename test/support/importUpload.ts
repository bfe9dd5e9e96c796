/**
 * One CSV upload to an import route (`POST /api/imports/<kind>`) as a signed-in user, from the app (X-Spotter):
 * the answer's status and JSON body. The import suites wrap it with their gym and kind.
 */
import { signToken } from "../../server/auth.js";
import type { SpotterServer } from "../../server/createServer.js";

export async function uploadImport(
  server: SpotterServer,
  kind: string,
  csv: string,
  o: { gymId: string; as: string; query?: Record<string, string>; headers?: Record<string, string> },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const q = new URLSearchParams({ gym: o.gymId, ...o.query });
  const res = await fetch(`${server.url}/api/imports/${kind}?${q}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await signToken(server.jwtSecret!, o.as)}`,
      "content-type": "text/csv",
      ...(o.headers ?? { "x-spotter": "1" }),
    },
    body: csv,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
