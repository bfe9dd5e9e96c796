import { keys } from "../../rooms/keys.js";
import type { Logger } from "../logger.js";
import type { RedisClient } from "../redis.js";

/** How often each node tells the others which room channels it has watchers on. */
export const PRESENCE_PERIOD_MS = 10_000;
/** A channel another node announced counts as watched this long (three announcements, well inside the rooms' 60 s resume grace). */
export const PRESENCE_TTL_MS = 3 * PRESENCE_PERIOD_MS;
/** After start, every channel counts as watched this long: the other nodes answer a starting node's hello at once. */
export const PRESENCE_HELLO_MS = 3_000;

interface Announcement {
  from: string;
  channels: string[];
  /** A node that just started asks the others to announce now. */
  hello?: boolean;
}

/**
 * Which room channels are watched anywhere in the cluster, answered synchronously (a room asks on every
 * publish so that a view nobody watches costs nothing). Local watchers come from this node's adapter;
 * every node announces its own watched channels on one Redis channel every {@link PRESENCE_PERIOD_MS},
 * and each announced channel counts as watched for {@link PRESENCE_TTL_MS}.
 *
 * Why this is safe: a watcher joining through another node is seen by the owner at its join (the room keeps
 * building deltas for 60 s after any join, and its broadcasts go through Redis from then on), and is announced
 * within one period. A starting node asks the others to announce at once (hello) and counts every channel as
 * watched for {@link PRESENCE_HELLO_MS}; after a subscriber reconnect, for a full TTL. A lost announcement at
 * worst costs a remote watcher a sequence gap (deltas of a room it watches stayed on the owner's node until the
 * next announcement), which clients answer by joining again.
 */
export class WatchPresence {
  private readonly remote = new Map<string, number>();
  private sub: RedisClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Until then, every channel counts as watched (this node may have missed announcements). */
  private unsureUntil = 0;

  constructor(
    private readonly node: string,
    private readonly redis: RedisClient | undefined,
    /** This node's sockets per channel. */
    private readonly localCount: (channel: string) => number,
    /** This node's channels that have at least one socket (only room audience channels are announced). */
    private readonly localChannels: () => Iterable<string>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (!this.redis) return;
    this.unsureUntil = this.now() + PRESENCE_TTL_MS;
    const sub = this.redis.duplicate();
    sub.on("error", () => undefined);
    let connected = false;
    sub.on("ready", () => {
      if (connected) this.unsureUntil = this.now() + PRESENCE_TTL_MS;
      connected = true;
    });
    await sub.connect();
    this.sub = sub;
    await sub.subscribe(keys.watchPresence, (raw) => {
      try {
        const note = JSON.parse(raw) as Announcement;
        if (note.from === this.node) return;
        this.heard(note.channels);
        if (note.hello) this.announce();
      } catch (err) {
        this.log.warn({ err: String(err) }, "unreadable watch announcement");
      }
    });
    // Subscribed: the others' answers to this hello reach us, so the unsure window can be short.
    this.announce(true);
    this.unsureUntil = this.now() + PRESENCE_HELLO_MS;
    this.timer = setInterval(() => this.announce(), PRESENCE_PERIOD_MS);
    this.timer.unref();
  }

  /** False only when certainly nobody on any node watches `channel` (see the class comment). */
  watched(channel: string): boolean {
    return this.localCount(channel) > 0 || this.watchedElsewhere(channel);
  }

  /**
   * False only when certainly no other node has a watcher on `channel`: then a broadcast to it stays on this
   * node (no Redis publish, nothing for the other nodes' adapters to decode).
   */
  watchedElsewhere(channel: string): boolean {
    if (!this.redis) return false;
    const now = this.now();
    return now < this.unsureUntil || (this.remote.get(channel) ?? 0) > now;
  }

  /** A watcher on another node joined `channel` through this node (the room's owner): it counts as watched there at once. */
  joinedElsewhere(channel: string): void {
    if (!this.redis) return;
    const until = this.now() + PRESENCE_TTL_MS;
    if ((this.remote.get(channel) ?? 0) < until) this.remote.set(channel, until);
  }

  /** Tells the other nodes which room channels have watchers here (with `hello`, asks them to do the same now). */
  announce(hello = false): void {
    if (!this.redis) return;
    const now = this.now();
    for (const [c, t] of this.remote) if (t <= now) this.remote.delete(c);
    const channels: string[] = [];
    for (const c of this.localChannels()) if (keys.isAudienceChannel(c)) channels.push(c);
    this.redis
      .publish(keys.watchPresence, JSON.stringify({ from: this.node, channels, ...(hello ? { hello } : {}) } satisfies Announcement))
      .catch((err: unknown) => {
        this.log.warn({ err: String(err) }, "watch announcement not published");
      });
  }

  private heard(channels: readonly string[]): void {
    const now = this.now();
    const until = now + PRESENCE_TTL_MS;
    for (const c of channels) this.remote.set(c, until);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const sub = this.sub;
    this.sub = null;
    if (sub) await sub.quit().catch(() => undefined);
  }
}
