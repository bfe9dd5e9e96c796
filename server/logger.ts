import { pino, type Logger } from "pino";

/** Structured JSON logs; every line carries the node id. Silent in tests unless LOG_LEVEL says otherwise. */
export function createLogger(level: string, nodeId: string): Logger {
  return pino({ level, base: { node: nodeId }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
