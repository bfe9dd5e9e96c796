/**
 * `npm run gym:create -- --owner <email> [--name <gym name>] [--time-zone Europe/Berlin]` creates a gym and prints a
 * one-time setup link for its first owner (an invitation, valid 7 days, also queued as mail). A production install
 * has no open "create a gym" endpoint: this is the way in. Uses DATABASE_URL (or the embedded database in DATA_DIR)
 * and JWT_SECRET (or the embedded one) — the same as the server, so the link works there.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { Invitations } from "../../app/signin/invitations.js";
import { Sessions } from "../../app/signin/sessions.js";
import { accessTokenSigner, devSecret, nodeSecrets } from "../auth.js";
import { EmbeddedDatabaseInUse, embeddedTarget, openDatabase, pendingMigrations } from "../db/orm.js";
import { createLogger } from "../logger.js";
import { MailOutbox } from "../mail/mailOutbox.js";
import { PgAuthLog } from "../persistence/authLog.js";
import { PgInvitationStore } from "../persistence/invitationStore.js";
import { PgSessionStore } from "../persistence/sessionStore.js";
import { createGym } from "../signin/createGym.js";

const { values } = parseArgs({
  options: {
    owner: { type: "string" },
    name: { type: "string", default: "My Gym" },
    "time-zone": { type: "string", default: "Europe/Berlin" },
  },
});
const email = z.string().trim().toLowerCase().email().max(320).safeParse(values.owner);
const name = z.string().trim().min(1).max(200).safeParse(values.name);
if (!email.success || !name.success) {
  console.error("usage: npm run gym:create -- --owner <email> [--name <gym name>] [--time-zone Europe/Berlin]");
  process.exit(2);
}
try {
  new Intl.DateTimeFormat("en", { timeZone: values["time-zone"] });
} catch {
  console.error(`gym:create: unknown time zone ${values["time-zone"]} (use an IANA name like Europe/Berlin)`);
  process.exit(2);
}

const dataDir = process.env.DATA_DIR ?? "./data";
const secret = process.env.JWT_SECRET ?? devSecret(dataDir);
const target = process.env.DATABASE_URL ? { kind: "postgres" as const, url: process.env.DATABASE_URL } : embeddedTarget(dataDir);
const db = await openDatabase(target, 1).catch((err: unknown) => {
  if (err instanceof EmbeddedDatabaseInUse) {
    console.error("gym:create: the embedded database is in use by a running server — stop it first (or use DATABASE_URL)");
    process.exit(2);
  }
  throw err;
});
try {
  const pending = await pendingMigrations(db);
  if (pending.length) {
    console.error(`gym:create: ${pending.length} migration(s) pending — run \`npm run migrate\` first`);
    process.exit(2);
  }
  const now = Date.now;
  const log = createLogger("warn", "gym-create");
  const secrets = nodeSecrets(secret);
  const authLog = new PgAuthLog(db.orm);
  const gymId = randomUUID();
  const sessions = new Sessions({
    store: new PgSessionStore(db.orm),
    secrets,
    signer: accessTokenSigner(secret),
    log: authLog,
    now,
    ended: { announce: async () => undefined },
  });
  const base = (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`).replace(/\/$/, "");
  const invitations = new Invitations({
    store: new PgInvitationStore(db.orm),
    secrets,
    mail: new MailOutbox(db.orm, null, "", log, now),
    log: authLog,
    sessions,
    linkFor: (_role, s) => `${base}/admin/#invite=${s}`,
    now,
  });
  const made = await createGym(db.orm, invitations, { id: gymId, name: name.data, timeZone: values["time-zone"], ownerEmail: email.data });
  console.log(
    [
      `Created gym "${name.data}" (${gymId}).`,
      `Setup link for its first owner ${email.data} (works once, until ${new Date(made.expiresAt).toISOString()}; also queued as mail):`,
      "",
      `  ${made.link}`,
      "",
    ].join("\n"),
  );
} finally {
  await db.close();
}
