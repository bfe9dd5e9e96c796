import { parseRoomId, type Ack, type RoomId } from "../domain/protocol/envelope.js";
import { ClassRoom, type ClassStore } from "./ClassRoom.js";
import { GymRoom, type GymStore } from "./GymRoom.js";
import type { RoomMessage, RoomRuntime } from "./ports.js";
import type { RoomActor } from "./RoomActor.js";
import type { ResidentDesk } from "./deskLookup.js";
import { UserRoom, type UserStore } from "./UserRoom.js";

export interface RoomStores {
  classes: ClassStore;
  gyms: GymStore;
  users: UserStore;
  /** Members' standings resident in memory (class bookings, desk lookups); without it rooms read them from the stores. */
  resident?: ResidentDesk;
}

export type AnyRoom = RoomActor<unknown, unknown>;

/** A class room loading before this node knows it owns it (see {@link RoomRegistry.loadEarly}). */
export interface EarlyRoom {
  readonly room: RoomId;
  /** This node owns the room: the room goes live here (or the one that went live meanwhile; this one is dropped). */
  adopt(): AnyRoom;
  /** Another node owns it, or the read may be stale: dropped once its load settles. */
  discard(): void;
}

/**
 * One actor per room in the process. Creates rooms on first use, routes messages, delivers
 * cross-room notes to live rooms only, and evicts rooms idle for longer than `idleMs`.
 */
export class RoomRegistry {
  private readonly rooms = new Map<RoomId, AnyRoom>();
  /** Rooms being started by {@link warm} (routed, not yet live here): warmed once, however many members ask. */
  private readonly warming = new Set<RoomId>();
  /** Rooms warmed ahead of a booking window opening: not evicted before then, however idle (see {@link warm}). */
  private readonly kept = new Map<RoomId, number>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  readonly runtime: RoomRuntime;
  private closed = false;
  /** Called after a room is evicted or dropped here (the router gives its lease back). */
  onEvict: ((room: RoomId) => void | Promise<void>) | null = null;
  /** Delivers a note to a room that is not live on this node (another node may own it). */
  remoteTell: ((room: RoomId, message: RoomMessage) => void) | null = null;
  /**
   * Sends a room's command to another room wherever that room lives (the router: local when this node owns it,
   * else forwarded to its owner). Without it (one node), the other room runs here.
   */
  route: ((room: RoomId, message: RoomMessage) => Promise<Ack<unknown>>) | null = null;
  /** Whether anyone on another node still watches the room (evicting it would silence them). */
  watchedElsewhere: ((room: AnyRoom) => Promise<boolean>) | null = null;

  constructor(
    runtime: Omit<RoomRuntime, "tell">,
    private readonly stores: RoomStores,
    private readonly idleMs: number,
  ) {
    this.runtime = { ...runtime, tell: (room, message) => this.tell(room, message), warm: (room) => this.warm(room) };
    this.sweeper = setInterval(() => void this.sweep(), Math.min(idleMs, 10_000));
    this.sweeper.unref?.();
  }

  /** The live actor for a room, created (not yet started) if needed. */
  get(room: RoomId): AnyRoom {
    let actor = this.rooms.get(room);
    if (!actor || actor.isStopped) {
      actor = this.create(room);
      this.rooms.set(room, actor);
    }
    return actor;
  }

  private create(room: RoomId): AnyRoom {
    const { kind, id } = parseRoomId(room);
    const rt = this.runtime;
    switch (kind) {
      case "class":
        return new ClassRoom(room, rt, this.stores.classes, id, this.stores.resident?.resident) as unknown as AnyRoom;
      case "gym":
        // A desk check-in goes on to its class room through the router: never a second copy of a room another node runs.
        return new GymRoom(
          room,
          rt,
          this.stores.gyms,
          id,
          (r, m) => (this.route ? this.route(r, m) : this.send(r, m)),
          this.stores.resident,
        ) as unknown as AnyRoom;
      case "user":
        return new UserRoom(
          room,
          rt,
          this.stores.users,
          id,
          this.stores.resident && ((g) => this.stores.resident!.resident.warm(g.toLowerCase())),
        ) as unknown as AnyRoom;
    }
  }

  /**
   * Starts loading a class room beside the claim of its lease, not yet live here: no message or note reaches it
   * until {@link EarlyRoom.adopt}. Null for other rooms (a gym's or a user's load is too dear to spend on a room
   * that may be another node's).
   */
  loadEarly(room: RoomId): EarlyRoom | null {
    if (this.closed || this.peek(room) || parseRoomId(room).kind !== "class") return null;
    const actor = this.create(room);
    // Held until adopted: its timer and standings notes queue unhandled (a tick could close the class or expire
    // offers with this node's name on a room another node owns).
    actor.hold();
    const started = actor.start().catch(() => undefined);
    const discard = () => void started.finally(() => actor.discardHeld());
    return {
      room,
      adopt: () => {
        const live = this.peek(room);
        if (!live && !this.closed) {
          this.rooms.set(room, actor);
          actor.release();
          return actor;
        }
        discard();
        return live ?? this.get(room);
      },
      discard,
    };
  }

  /** Sends a message to a room (starting it if needed) and waits for its durable answer. */
  send(room: RoomId, message: RoomMessage): Promise<Ack<unknown>> {
    if (message.kind === "note" && message.note.type === "tick" && message.note.keepUntil !== undefined)
      this.kept.set(room, Math.max(this.kept.get(room) ?? 0, message.note.keepUntil));
    if (this.closed)
      return Promise.resolve({
        ok: false,
        error: { code: "UNAVAILABLE", message: "The server is restarting — try again.", retryAfterMs: 500 },
      });
    return this.get(room).send(message);
  }

  /**
   * Starts a class room ahead of its first command: a tick (what its own timer sends: expire offers that ran out,
   * close a class that is over) through the router, so the room loads where it is owned, claiming it if nobody does.
   * (A tick with `keepUntil` — its booking window opens then, `server/jobs/windowWarmJob.ts` — keeps the room and its
   * gym's resident standings until then even if nobody uses them: see {@link send}.)
   */
  warm(room: RoomId): void {
    if (this.closed || this.peek(room) !== undefined || this.warming.has(room) || parseRoomId(room).kind !== "class") return;
    const tick: RoomMessage = { kind: "note", note: { type: "tick" } };
    this.warming.add(room);
    void (this.route ? this.route(room, tick) : this.send(room, tick)).catch(() => undefined).finally(() => this.warming.delete(room));
  }

  /** Delivers a note to a room if it is live here, else to its owner elsewhere; a room that is nowhere live loads fresh state when it starts. */
  tell(room: RoomId, message: RoomMessage): void {
    const actor = this.rooms.get(room);
    if (actor && !actor.isStopped) void actor.send(message);
    else this.remoteTell?.(room, message);
  }

  /** Delivers a note to every class room live here (each ignores what is not about its gym): rare, gym-wide changes. */
  tellClasses(message: RoomMessage): void {
    for (const actor of this.rooms.values()) if (!actor.isStopped && actor instanceof ClassRoom) void actor.send(message);
  }

  /**
   * Reloads every live room here whose state mentions `text` (a member whose personal data was just
   * anonymized): the room is dropped and its watchers rejoin, so the next snapshot comes from the database.
   */
  reloadRoomsMentioning(text: string): number {
    const stale = [...this.rooms.values()].filter((a) => !a.isStopped && a.mentions(text));
    for (const actor of stale) {
      this.drop(actor.id);
      actor.resetWatchers();
    }
    return stale.length;
  }

  /** Stops a room at once (its lease went to another node); it drains in the background and its commits are fenced. */
  drop(room: RoomId): void {
    const actor = this.rooms.get(room);
    if (!actor) return;
    this.rooms.delete(room);
    void actor.stop().finally(() => this.onEvict?.(room));
  }

  /** The room's actor if it is live here. */
  peek(room: RoomId): AnyRoom | undefined {
    const actor = this.rooms.get(room);
    return actor && !actor.isStopped ? actor : undefined;
  }

  live(): AnyRoom[] {
    return [...this.rooms.values()];
  }

  /** Evicts rooms with no watchers and nothing in flight for longer than the idle time (a kept room: since it was kept until). */
  async sweep(): Promise<void> {
    const now = this.runtime.now();
    for (const [id, until] of this.kept) if (until + this.idleMs <= now || !this.rooms.has(id)) this.kept.delete(id);
    for (const [id, actor] of this.rooms) {
      if (actor.idle && now - Math.max(actor.lastActive, this.kept.get(id) ?? 0) >= this.idleMs) {
        if (this.watchedElsewhere && (await this.watchedElsewhere(actor).catch(() => true))) continue;
        if (!actor.idle || this.rooms.get(id) !== actor) continue;
        this.rooms.delete(id);
        await actor.stop();
        await this.onEvict?.(id);
      }
    }
  }

  /** Drains every mailbox and commits what is pending; then refuses new messages. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await Promise.all([...this.rooms.values()].map((a) => a.stop()));
    this.rooms.clear();
  }
}
