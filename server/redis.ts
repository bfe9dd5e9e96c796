import { createClient } from "redis";
import type { Logger } from "./logger.js";

/** Attempts before the first connection gives up (later outages retry forever). */
const FIRST_CONNECT_ATTEMPTS = 3;

function newClient(url: string, state: { ready: boolean }) {
  return createClient({
    url,
    socket: {
      connectTimeout: 2_000,
      // Never reached yet: give up after a few tries so start-up fails with a clear error. Once up: reconnect forever.
      reconnectStrategy: (retries: number, cause: Error) =>
        !state.ready && retries >= FIRST_CONNECT_ATTEMPTS
          ? new Error(`cannot reach Redis: ${cause.message}`)
          : Math.min(50 * 2 ** retries, 1_000),
    },
  });
}

export type RedisClient = ReturnType<typeof newClient>;

/** Connects a Redis client that reconnects by itself once up and never throws unobserved errors. */
export async function connectRedis(url: string, log: Logger, name: string): Promise<RedisClient> {
  const state = { ready: false };
  const client = newClient(url, state);
  let lastLogged = 0;
  client.on("ready", () => {
    state.ready = true;
  });
  client.on("error", (err: Error) => {
    const now = performance.now();
    if (now - lastLogged > 5_000) {
      lastLogged = now;
      log.warn({ err: err.message, client: name }, "redis connection error");
    }
  });
  await client.connect();
  return client;
}

/** Pings with a deadline; false when Redis does not answer in time. */
export async function redisAlive(client: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  if (!client.isReady) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      client.ping().then((r) => r === "PONG"),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
