/** Runs once before the suites: the server serves the built web apps, so build them if missing or stale. */
import { ensureBuilt } from "../../scripts/ensureBuilt.js";

export default async function setup(): Promise<void> {
  await ensureBuilt("web-admin");
  await ensureBuilt("member-web");
}
