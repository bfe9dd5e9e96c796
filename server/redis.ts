import { createClient } from "redis";
import type { Logger } from "./logger.js";

function newClient(url: string) {
  return createClient({
    url,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000) },
  });
}

export type RedisClient = ReturnType<typeof newClient>;

/** Connects a Redis client that reconnects by itself and never throws unobserved errors. */
export async function connectRedis(url: string, log: Logger, name: string): Promise<RedisClient> {
  const client = newClient(url);
  let lastLogged = 0;
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
