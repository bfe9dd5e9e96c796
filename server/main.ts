/**
 * Process entry: `npm start` (Node) or `deno run -A server/main.ts`.
 * Reads config from the environment, starts one Spotter node, stops gracefully on SIGTERM/SIGINT.
 */
// First: the libraries imported below create their `debug` loggers when they load.
import "./quietDebug.js";
import { hostname } from "node:os";
import { gateAsyncContexts } from "./asyncContextGate.js";
import { ConfigError, configHelp, loadConfig } from "./config.js";
import { createServer, StartupError, type SpotterServer } from "./createServer.js";
import { DEMO_DESK_EMAIL, DEMO_MEMBER_EMAIL, DEMO_OWNER_EMAIL, demoId } from "./demo/seedDemo.js";
import { createLogger } from "./logger.js";
import { reportAfterRepliesErrors } from "../rooms/afterReplies.js";

// Before anything runs a MikroORM transaction: promise hooks only while one is open.
gateAsyncContexts();

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(configHelp());
  process.exit(0);
}

let config;
try {
  config = loadConfig(process.env, `${hostname()}-${process.pid}`);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`spotter: bad configuration: ${err.message} (see --help)`);
    process.exit(2);
  }
  throw err;
}

const log = createLogger(config.LOG_LEVEL, config.NODE_ID);
let server: SpotterServer | undefined;
let stopping = false;

/** Graceful stop; a signal that arrives while the node is still starting stops it as soon as it is up. */
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stop requested");
  const deadline = setTimeout(() => {
    log.error("graceful shutdown timed out");
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  if (server) closeAndExit(server);
};
const closeAndExit = (s: SpotterServer) =>
  s.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, "shutdown failed");
      process.exit(1);
    },
  );
// Registered before the server starts listening: no window in which a SIGTERM kills the node ungracefully.
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
reportAfterRepliesErrors((err) => log.error({ err }, "work after a commit's answers threw"));

try {
  server = await createServer(config, { log });
} catch (err) {
  const message = err instanceof StartupError ? err.message : `${(err as Error).message}`;
  console.error(`spotter: cannot start: ${message}`);
  process.exit(err instanceof StartupError ? 2 : 1);
}
if (stopping) closeAndExit(server);

if (!stopping && config.SPOTTER_MODE === "embedded" && server.signIn) {
  const email = server.signIn.email;
  // One-time sign-in links (12 h), not bearer tokens: a link spent once is gone; the session lives in an HttpOnly cookie.
  const link = (key: string, address: string, app: "member" | "staff") =>
    email.devLink(demoId(`user:${key}`), address, app, 12 * 3_600_000);
  const mailbox = server.signIn.devMailbox ? `${server.url}/admin/dev-mail` : "your SMTP server's mailbox";
  console.log(
    [
      "",
      `  Spotter is live (${server.transport}, embedded PostgreSQL in ${config.DATA_DIR}).`,
      "",
      "  One-time sign-in links (each works once, for 12 hours):",
      `  Staff app   ${await link("owner", DEMO_OWNER_EMAIL, "staff")}`,
      `              (owner ${DEMO_OWNER_EMAIL})`,
      `  Front desk  ${await link("desk", DEMO_DESK_EMAIL, "staff")}`,
      `              (front desk ${DEMO_DESK_EMAIL})`,
      `  Member app  ${await link("member1", DEMO_MEMBER_EMAIL, "member")}`,
      `              (member ${DEMO_MEMBER_EMAIL})`,
      "",
      `  Or sign in with any demo address (coach1@demo.spotter.gym, member2..member200@…): the mail lands in ${mailbox}.`,
      "  Scripts: npm run token -- --user member7@demo.spotter.gym",
      "",
    ].join("\n"),
  );
}
