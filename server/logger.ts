import { pino, type DestinationStream, type Logger } from "pino";

/** An SQL statement at the start of a message (knex puts the failed statement, values inlined, before " - <reason>"). */
const Statement = /^\s*(?:\w+:\s*)?(?:insert|select|update|delete|with|copy|merge)\b/i;
/** String and number literals of a statement: the values a driver inlined. */
const Literal = /(?:\bE)?'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b/g;
/** PostgreSQL error fields that quote row values (`detail`: "Key (email)=(a@b.c) already exists"). */
const ValueFields = new Set(["detail", "where", "internalQuery", "params", "parameters", "bindings", "query", "sql"]);

/** `text` with the values of any SQL statement in it replaced by `?` (the statement's shape stays, for debugging). */
export function redactSql(text: string): string {
  return text
    .split("\n")
    .map((line) => (Statement.test(line) ? line.replace(Literal, "?") : line))
    .join("\n");
}

/**
 * Errors in logs keep their class, code and statement shape but never a value: MikroORM's DriverException
 * carries the failed statement with its parameters inlined (members' names, emails, workout text).
 */
function safeError(value: unknown): unknown {
  if (typeof value === "string") return redactSql(value);
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pino.stdSerializers.err(value))) {
    if (ValueFields.has(k)) continue;
    out[k] = typeof v === "string" ? redactSql(v) : v;
  }
  return out;
}

/** Structured JSON logs; every line carries the node id. Silent in tests unless LOG_LEVEL says otherwise. */
export function createLogger(level: string, nodeId: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { node: nodeId },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: safeError, error: safeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
