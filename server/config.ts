import { z } from "zod";
import { checkCodeKeys, checkPasskeyOrigins, checkSecretsKey, ConfigError } from "./configChecks.js";

export { ConfigError };

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A duration: seconds, or a number with s / m / h / d (`12h`); parsed to ms. */
const duration = (maxMs: number) =>
  z
    .string()
    .regex(/^\d{1,9}[smhd]?$/, "must be seconds or a number with s, m, h or d (e.g. 12h)")
    .transform((v) => Number(v.replace(/[smhd]$/, "")) * ({ s: 1, m: 60, h: 3_600, d: 86_400 }[v.slice(-1)] ?? 1) * 1000)
    .refine((ms) => ms >= 60_000 && ms <= maxMs, { message: `must be between 1 minute and ${maxMs / 86_400_000} days` });
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );

/** Every environment variable Spotter reads, with its default and meaning (printed by `--help`). */
export const ConfigVariables = {
  PORT: { schema: int(0, 65535).default(3000), help: "HTTP and WebSocket port (0 = any free port)" },
  HOST: { schema: z.string().min(1).default("127.0.0.1"), help: "interface to listen on (0.0.0.0 for all)" },
  DATA_DIR: { schema: z.string().min(1).default("./data"), help: "embedded database and dev secret live here" },
  DATABASE_URL: { schema: url(["postgres:", "postgresql:"]).optional(), help: "PostgreSQL URL; unset = embedded PGlite in DATA_DIR" },
  REDIS_URL: { schema: url(["redis:", "rediss:"]).optional(), help: "Redis URL; unset = single node, in-process adapter" },
  SPOTTER_MODE: {
    schema: z.enum(["embedded", "production"]).optional(),
    help: "embedded | production (default: production when DATABASE_URL is set)",
  },
  JWT_SECRET: { schema: z.string().min(32).optional(), help: "HS256 secret (>= 32 chars); generated in DATA_DIR in embedded mode" },
  SECRETS_KEY: {
    schema: z.string().min(1).optional(),
    help: "key sealing TOTP seeds and single sign-on client secrets in the database (AES-256-GCM): 32 bytes as 64 hex characters (`openssl rand -hex 32`) or base64, the same on every node; generated in DATA_DIR when embedded, derived from JWT_SECRET in production when unset",
  },
  JWKS_URL: { schema: url(["https:", "http:"]).optional(), help: "JWKS endpoint for EdDSA/RS256 tokens (https:// outside embedded mode)" },
  JWT_ISSUER: { schema: z.string().min(1).optional(), help: "expected token issuer (required with JWKS_URL)" },
  JWT_AUDIENCE: {
    schema: z.string().min(1).optional(),
    help: "expected token audience, this app's id at the identity provider (required with JWKS_URL)",
  },
  MAX_TOKEN_LIFETIME: {
    schema: duration(30 * 86_400_000).prefault("12h"),
    help: "longest accepted token lifetime (exp - iat): seconds or 30m / 12h / 7d; longer tokens are refused",
    shown: "12h",
  },
  SMTP_URL: {
    schema: url(["smtp:", "smtps:"]).optional(),
    help: "outgoing mail (sign-in links, invitations): smtp://user:pass@host:587 or smtps://…:465; unset = the dev mailbox in DATA_DIR (embedded mode), shown at /admin/dev-mail",
  },
  MAIL_FROM: { schema: z.string().min(3).max(200).default("Spotter <no-reply@spotter.localhost>"), help: "From: of outgoing mail" },
  PUBLIC_URL: {
    schema: url(["https:", "http:"]).optional(),
    help: "the address people open Spotter at (links in mail); default http://HOST:PORT",
  },
  METRICS_TOKEN: {
    schema: z.string().min(32).optional(),
    help: "bearer token (>= 32 chars) for GET /metrics and the detailed /health and /ready; unset = /metrics is off",
  },
  CHECKIN_SIGNING_KEY: {
    schema: z.string().min(1).optional(),
    help: "Ed25519 private key signing members' check-in codes: PKCS8 PEM (`openssl genpkey -algorithm ed25519`) or a private JWK; required in production, the same on every node; generated in DATA_DIR when embedded",
  },
  CHECKIN_PREVIOUS_KEYS: {
    schema: z.string().min(1).optional(),
    help: "rotation: public keys of earlier signing keys (JWKS, JSON array of JWKs, or SPKI PEM), accepted until CHECKIN_PREVIOUS_KEYS_UNTIL",
  },
  CHECKIN_PREVIOUS_KEYS_UNTIL: {
    schema: z.iso
      .datetime({ offset: true })
      .transform((v) => Date.parse(v))
      .optional(),
    help: "rotation: when codes signed with CHECKIN_PREVIOUS_KEYS stop being accepted (ISO 8601, e.g. 2026-12-07T12:00:00Z)",
  },
  VAPID_PUBLIC_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}$/, "a P-256 public key, 65 bytes base64url (`npx web-push generate-vapid-keys`)")
      .optional(),
    help: "Web Push: the VAPID public key (base64url); with VAPID_PRIVATE_KEY the same on every node; generated in DATA_DIR when embedded; unset in production = no push",
  },
  VAPID_PRIVATE_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, "a P-256 private key, 32 bytes base64url")
      .optional(),
    help: "Web Push: the VAPID private key (base64url)",
  },
  VAPID_SUBJECT: {
    schema: z
      .string()
      .regex(/^(mailto:|https:\/\/)/, "mailto: or https://")
      .max(200)
      .optional(),
    help: "Web Push: who push services may contact about this server (mailto:… or https://…); default mailto: of MAIL_FROM's host",
  },
  NODE_ID: { schema: z.string().min(1).max(64).optional(), help: "this node's name in logs and cluster (default host-pid)" },
  NODE_PUBLIC_URL: {
    schema: url(["https:", "http:"]).optional(),
    help: "this node's own public URL, given to clients in `room:join` owner hints (optional)",
  },
  PASSKEY_RP_ID: {
    schema: z
      .string()
      .regex(/^[a-z0-9.-]{1,253}$/, "must be a host name such as gym.example.com (no scheme, no port)")
      .optional(),
    help: "passkeys: the site's host name they are bound to (default: the host of the first PASSKEY_ORIGINS entry; an IP address cannot hold passkeys — use localhost in development)",
  },
  PASSKEY_ORIGINS: {
    schema: z.string().min(1).max(2_000).optional(),
    help: "passkeys: comma-separated exact origins the apps are served from, e.g. https://gym.example.com (default: this node's http://localhost:PORT); also where OIDC providers redirect back to",
  },
  TRANSPORT: { schema: z.enum(["auto", "uws", "node"]).default("auto"), help: "auto | uws | node — WebSocket server" },
  LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    help: "pino log level",
  },
  SEED_DEMO: { schema: bool.optional(), help: "create the demo gym on an empty database (default: true when embedded)" },
  LEASE_MS: { schema: int(500, 60_000).default(2_000), help: "room ownership lease in Redis (bounds failover time)" },
  ROOM_IDLE_MS: { schema: int(1_000, 86_400_000).default(60_000), help: "evict a room after this long without watchers or commands" },
  WINDOW_WARM_LEAD_MS: {
    schema: int(0, 3_600_000).default(120_000),
    help: "load a class room and its gym's members this long before its booking window opens (0: off)",
  },
  WINDOW_WARM_PER_MINUTE: {
    schema: int(1, 100_000).default(200),
    help: "most class rooms one node warms ahead of their booking window a minute",
  },
  WARM_UP_MS: {
    schema: int(0, 10_000).default(700),
    help: "CPU time the start-up warm-up may spend running real rooms on a synthetic gym before the node serves (at most 3× that in wall time; 0: one round)",
  },
  FLUSH_MAX_BATCH: { schema: int(1, 10_000).default(128), help: "max commands per group commit" },
  FLUSH_MAX_DELAY_MS: { schema: int(0, 1_000).default(2), help: "max wait to grow a group commit" },
  FANOUT_HOLD_US_PER_WATCHER: {
    schema: int(0, 1_000).default(0),
    help: "a watched room publishes at most once per this many µs × its watchers on the node; deltas in between go out as one (0: off, the default)",
  },
  MAX_PAYLOAD_BYTES: { schema: int(256, 1_048_576).default(16_384), help: "largest accepted WebSocket frame" },
  COMMANDS_PER_SECOND: { schema: int(1, 10_000).default(20), help: "per-socket command rate limit" },
  NOTICE_CLAIM_SECONDS: {
    schema: int(2, 3_600).default(60),
    help: "how long a node's claim on a notice it is delivering lasts; after a node dies mid-send, the others send it once this runs out",
  },
  MAX_ROOMS_PER_SOCKET: { schema: int(1, 1_000).default(50), help: "rooms one socket may watch" },
  MAX_WORKOUT_LOGS_PER_DAY: { schema: int(1, 10_000).default(20), help: "free-workout logs one member may store in 24 hours" },
  MAX_WORKOUT_SETS_PER_DAY: { schema: int(1, 1_000_000).default(500), help: "logged sets one member may store in 24 hours" },
  HTTP_REQUESTS_PER_SECOND_PER_IP: {
    schema: int(1, 1_000_000).default(200),
    help: "HTTP requests per second from one address (bursts of 5×)",
  },
  HTTP_REQUESTS_PER_SECOND_PER_USER: {
    schema: int(1, 100_000).default(5),
    help: "authenticated HTTP requests per second per user (bursts of 4×)",
  },
  MAX_SOCKETS_PER_USER: { schema: int(1, 10_000).default(20), help: "open sockets one user may hold (all nodes when REDIS_URL is set)" },
  TRUST_PROXY: {
    schema: int(0, 10).default(0),
    help: "reverse proxies in front of Spotter whose X-Forwarded-For is trusted (0 = none: the peer address is the client)",
  },
  MAX_SOCKETS_PER_IP: { schema: int(1, 10_000_000).default(5_000), help: "open sockets from one address, per node (a gym behind one NAT)" },
  MAX_ROOMS_PER_USER: { schema: int(1, 100_000).default(100), help: "rooms one user may watch across all their sockets on a node" },
  SHUTDOWN_TIMEOUT_MS: { schema: int(100, 60_000).default(10_000), help: "graceful shutdown deadline" },
} as const;

type Vars = typeof ConfigVariables;
type RawConfig = { [K in keyof Vars]: z.output<Vars[K]["schema"]> };

/** Validated configuration. */
export interface Config extends Omit<RawConfig, "SPOTTER_MODE" | "NODE_ID" | "SEED_DEMO"> {
  SPOTTER_MODE: "embedded" | "production";
  NODE_ID: string;
  SEED_DEMO: boolean;
}

/** Parses and validates the environment. Throws `ConfigError` naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>, defaultNodeId: string): Config {
  const out: Record<string, unknown> = {};
  for (const [name, { schema }] of Object.entries(ConfigVariables)) {
    const raw = env[name];
    const parsed = (schema as z.ZodType).safeParse(raw === "" ? undefined : raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(name, `invalid value ${JSON.stringify(raw)} — ${issue?.message ?? "invalid"}`);
    }
    out[name] = parsed.data;
  }
  const raw = out as RawConfig;
  const mode = raw.SPOTTER_MODE ?? (raw.DATABASE_URL ? "production" : "embedded");
  if (mode === "production" && !raw.DATABASE_URL) throw new ConfigError("DATABASE_URL", "required in production mode");
  if (mode === "production" && !raw.JWT_SECRET && !raw.JWKS_URL)
    throw new ConfigError("JWT_SECRET", "production mode requires JWT_SECRET or JWKS_URL");
  // Tokens from an identity provider are checked for this app (audience) and that provider (issuer), over TLS.
  if (raw.JWKS_URL) {
    if (!raw.JWT_ISSUER)
      throw new ConfigError("JWT_ISSUER", "required with JWKS_URL — the identity provider's issuer, e.g. https://login.example.com/");
    if (!raw.JWT_AUDIENCE)
      throw new ConfigError("JWT_AUDIENCE", "required with JWKS_URL — the audience your identity provider puts in tokens for Spotter");
    if (mode !== "embedded" && new URL(raw.JWKS_URL).protocol !== "https:")
      throw new ConfigError("JWKS_URL", "must be https:// outside embedded mode (keys fetched over plain http can be swapped in transit)");
  }
  checkCodeKeys(raw, mode);
  checkSecretsKey(raw, mode);
  checkPasskeyOrigins(raw, mode);
  if (!raw.VAPID_PUBLIC_KEY !== !raw.VAPID_PRIVATE_KEY)
    throw new ConfigError(
      raw.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY",
      "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together (`npx web-push generate-vapid-keys`)",
    );
  return {
    ...raw,
    SPOTTER_MODE: mode,
    NODE_ID: raw.NODE_ID ?? defaultNodeId,
    SEED_DEMO: raw.SEED_DEMO ?? mode === "embedded",
  };
}

/** The `--help` text: every variable with its default. */
export function configHelp(): string {
  const lines = ["Spotter — realtime gym server", "", "Environment variables:"];
  for (const [name, variable] of Object.entries(ConfigVariables)) {
    const { schema, help } = variable;
    const def = (schema as z.ZodType).safeParse(undefined);
    const shown = "shown" in variable ? variable.shown : def.success && def.data !== undefined ? String(def.data) : "(unset)";
    lines.push(`  ${name.padEnd(22)} ${help} [default: ${shown}]`);
  }
  return lines.join("\n");
}
