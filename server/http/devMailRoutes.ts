/**
 * The dev mailbox's API (embedded mode without SMTP_URL only): `GET /api/dev-mail` lists the newest messages for the
 * staff app's /admin/dev-mail page. Loopback requests only — the messages hold sign-in links, and a node listening on
 * 0.0.0.0 must not hand them to the network.
 */
import type { DevMailbox } from "../mail/transports.js";
import { json, type Router } from "./router.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function addDevMailRoutes(router: Router, mailbox: DevMailbox): void {
  router.get("/api/dev-mail", (req) => {
    if (!LOOPBACK.test(req.ip))
      return json(403, { error: { code: "FORBIDDEN", message: "The dev mailbox is shown only on the machine running Spotter." } });
    return json(200, {
      messages: mailbox.list(50).map((m) => ({ id: m.id, at: m.at, to: m.to, subject: m.subject, text: m.text, html: m.html })),
    });
  });
}
