import { keys } from "../../rooms/keys.js";
import type { Logger } from "../logger.js";
import type { RedisClient } from "../redis.js";

/** How often each node tells the others which room channels it has watchers on. */
export const PRESENCE_PERIOD_MS = 10_000;
/** A channel another node announced counts as watched this long (three announcements, well inside the rooms' 60 s resume grace). */
export const PRESENCE_TTL_MS = 3 * PRESENCE_PERIOD_MS;
/** After start, every channel counts as watched this long: the other nodes answer a starting node's hello at once. */
export const PRESENCE_HELLO_MS = 3_000;

/** How soon after a channel here lost its last socket the others are told (several leaves share one announcement). */
export const PRESENCE_LEAVE_MS = 100;

interface Announcement {
  from: string;
  channels: string[];
  /** Counts this node's announcements: one with a higher number than a join's stamp was made after that join. */
  seq?: number;
  /** A node that just started asks the others to announce now. */
  hello?: boolean;
}

/**
 * Which room channels are watched anywhere in the cluster, answered synchronously (a room asks on every
 * publish so that a view nobody watches costs nothing). Local watchers come from this node's adapter;
 * every node announces its own watched channels on one Redis channel every {@link PRESENCE_PERIOD_MS}, and
 * {@link PRESENCE_LEAVE_MS} after one of them lost its last socket. A node's announcement replaces its previous
 * one and holds for {@link PRESENCE_TTL_MS}.
 *
 * Why this is safe: a watcher joining through another node is seen by the owner at its join (the room keeps
 * building deltas for 60 s after any join, and its broadcasts go through Redis from then on). The join carries
 * the watcher node's announcement count at that moment ({@link stamp}, taken after its socket joined the channel):
 * it counts until that node announces again — an announcement made after the join, which lists the channel while
 * anyone there still watches it — or for a TTL. A starting node asks the others to announce at once (hello) and
 * counts every channel as watched for {@link PRESENCE_HELLO_MS}; after a subscriber reconnect, for a full TTL. A lost
 * announcement at worst costs a remote watcher a sequence gap (deltas of a room it watches stayed on the owner's
 * node until the next announcement), which clients answer by joining again.
 *
 * Regression: a remote watcher counted for a full TTL after it left, so a room whose members had looked at it
 * from another node (and moved to its owner) published every delta through Redis to nodes that dropped it.
 */
export class WatchPresence {
  /** Per other node: the channels of its last announcement, until when they count. */
  private readonly announced = new Map<string, { channels: Set<string>; until: number }>();
  /** Joins forwarded here from other nodes: channel → node → the node's stamp at the join, and until when it counts. */
  private readonly joined = new Map<string, Map<string, { stamp: number; until: number }>>();
  private sub: RedisClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private leaveTimer: ReturnType<typeof setTimeout> | null = null;
  /** This node's announcements so far. */
  private seq = 0;
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
        this.heard(note);
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
    if (now < this.unsureUntil) return true;
    for (const a of this.announced.values()) if (a.until > now && a.channels.has(channel)) return true;
    const joins = this.joined.get(channel);
    if (joins) for (const j of joins.values()) if (j.until > now) return true;
    return false;
  }

  /**
   * A watcher on node `from` joined `channel` through this node (the room's owner): it counts as watched there at once,
   * until `from` announces after `stamp` (its {@link stamp} when the watcher's socket had joined) or for a TTL.
   */
  joinedElsewhere(channel: string, from = "", stamp = Number.MAX_SAFE_INTEGER): void {
    if (!this.redis) return;
    let joins = this.joined.get(channel);
    if (!joins) this.joined.set(channel, (joins = new Map()));
    const known = joins.get(from);
    joins.set(from, { stamp: Math.max(stamp, known?.stamp ?? 0), until: this.now() + PRESENCE_TTL_MS });
  }

  /** This node's announcement count: a join forwarded from here carries it (see {@link joinedElsewhere}). */
  stamp(): number {
    return this.seq;
  }

  /** A channel here lost its last socket: tell the others soon, so they stop publishing its deltas through Redis. */
  emptied(channel: string): void {
    if (!this.redis || !this.timer || this.leaveTimer || !keys.isAudienceChannel(channel)) return;
    this.leaveTimer = setTimeout(() => {
      this.leaveTimer = null;
      this.announce();
    }, PRESENCE_LEAVE_MS);
    this.leaveTimer.unref?.();
  }

  /** Tells the other nodes which room channels have watchers here (with `hello`, asks them to do the same now). */
  announce(hello = false): void {
    if (!this.redis) return;
    const now = this.now();
    for (const [node, a] of this.announced) if (a.until <= now) this.announced.delete(node);
    for (const [c, joins] of this.joined) {
      for (const [node, j] of joins) if (j.until <= now) joins.delete(node);
      if (joins.size === 0) this.joined.delete(c);
    }
    const channels: string[] = [];
    for (const c of this.localChannels()) if (keys.isAudienceChannel(c)) channels.push(c);
    const seq = ++this.seq;
    this.redis
      .publish(keys.watchPresence, JSON.stringify({ from: this.node, channels, seq, ...(hello ? { hello } : {}) } satisfies Announcement))
      .catch((err: unknown) => {
        this.log.warn({ err: String(err) }, "watch announcement not published");
      });
  }

  /** Another node's announcement replaces its last one, and settles the joins it forwarded before making it. */
  private heard(note: Announcement): void {
    this.announced.set(note.from, { channels: new Set(note.channels), until: this.now() + PRESENCE_TTL_MS });
    if (note.seq === undefined) return;
    for (const [c, joins] of this.joined) {
      const j = joins.get(note.from);
      if (j && j.stamp < note.seq) joins.delete(note.from);
      if (joins.size === 0) this.joined.delete(c);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.leaveTimer) clearTimeout(this.leaveTimer);
    this.timer = null;
    this.leaveTimer = null;
    const sub = this.sub;
    this.sub = null;
    if (sub) await sub.quit().catch(() => undefined);
  }
}
