import { createAdapter, type RedisAdapter, type RedisAdapterOptions } from "@socket.io/redis-adapter";

/** How the adapter receives a room broadcast (private in its typings). */
type Receiving = { uid: string; onmessage(pattern: unknown, channel: unknown, msg: unknown): void };

/**
 * `@socket.io/redis-adapter` publishes every broadcast as msgpack `[uid, packet, opts]` on the room's channel and
 * hears its own copy back from Redis: when this node has sockets in the room it decoded the whole message (the
 * packet, the delta and all) only to find its own `uid` and drop it. Here the first bytes are compared instead —
 * a 3-element array (`0x93`) whose first element is the 6-character uid (`0xa6` + its bytes) — and an echo is
 * dropped undecoded. Anything else (another node's broadcast, an unexpected layout) goes to the adapter as before.
 * Only with the adapter's own msgpack parser (no `parser` option), whose layout this is.
 */
export function createEchoFreeAdapter(pub: unknown, sub: unknown, opts: Partial<RedisAdapterOptions> = {}): (nsp: unknown) => RedisAdapter {
  const make = createAdapter(pub, sub, opts);
  if (opts.parser) return make;
  return function (nsp: unknown): RedisAdapter {
    const adapter = make(nsp);
    const receiving = adapter as unknown as Receiving;
    const echo = echoPrefix(receiving.uid);
    if (!echo) return adapter;
    const decode = receiving.onmessage.bind(adapter);
    // The adapter's Redis listener calls `this.onmessage(…)` on every message, so this instance property takes its place.
    receiving.onmessage = (pattern, channel, msg) => {
      if (isEcho(msg, echo)) return;
      decode(pattern, channel, msg);
    };
    return adapter;
  };
}

/** The bytes every message this adapter publishes starts with, or null when its uid is not 6 ASCII characters. */
export function echoPrefix(uid: string): Buffer | null {
  if (uid.length !== 6 || !/^[\x20-\x7e]{6}$/.test(uid)) return null;
  return Buffer.concat([Buffer.from([0x93, 0xa6]), Buffer.from(uid, "ascii")]);
}

export function isEcho(msg: unknown, echo: Buffer): boolean {
  return Buffer.isBuffer(msg) && msg.length > echo.length && msg.compare(echo, 0, echo.length, 0, echo.length) === 0;
}
