import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { ConnectionState, RoomState, RoomStatus, SpotterClient } from "../../domain/client/index.js";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";

/**
 * One room's live view for a Lit element: watches while the element is connected, stops when it
 * is removed, and re-renders the host on every delta and connection change. Set `room` to switch.
 *
 * @example
 * class ClassScreen extends LitElement {
 *   private readonly cls = new RoomController<StaffClassView>(this, client, `class:${id}`);
 *   render() { return this.cls.view ? html`${this.cls.view.counts.booked} booked` : html`Loading…`; }
 *   private async _onCheckIn(memberId: string) {
 *     toasts.fromAck(await this.cls.command("class:checkIn", { sessionId: id, memberId, source: "desk" }), "Checked in");
 *   }
 * }
 */
export class RoomController<V> implements ReactiveController {
  state: RoomState<V> | null = null;
  connection: ConnectionState;
  private _room: RoomId | null;
  private _stops: (() => void)[] = [];
  private _roomStop: (() => void) | undefined;
  private _attached = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly client: SpotterClient,
    room: RoomId | null = null,
  ) {
    this._room = room;
    this.connection = client.connection;
    host.addController(this);
  }

  get room(): RoomId | null {
    return this._room;
  }

  set room(room: RoomId | null) {
    if (room === this._room) return;
    this._unwatch();
    this._room = room;
    this.state = null;
    if (this._attached) this._watch();
    this.host.requestUpdate();
  }

  /** The projection, or undefined until the first snapshot. */
  get view(): V | undefined {
    return this.state?.view;
  }

  get status(): RoomStatus | "idle" {
    return this.state?.status ?? "idle";
  }

  get online(): boolean {
    return this.connection.status === "connected";
  }

  /** Actions are enabled only when connected and in sync: never act on a stale screen. */
  get canAct(): boolean {
    return this.online && this.state?.status === "live";
  }

  /** Sends a command to this room (see {@link SpotterClient.command}). */
  command<T = unknown>(type: string, payload: unknown): Promise<Ack<T>> {
    if (!this._room) return Promise.resolve({ ok: false, error: { code: "NOT_FOUND", message: "No room selected." } });
    return this.client.command<T>(this._room, type, payload);
  }

  hostConnected(): void {
    this._attached = true;
    this._stops.push(
      this.client.onConnection((c) => {
        this.connection = c;
        this.host.requestUpdate();
      }),
    );
    this._watch();
  }

  hostDisconnected(): void {
    this._attached = false;
    this._unwatch();
    for (const stop of this._stops.splice(0)) stop();
  }

  private _watch(): void {
    if (!this._room) return;
    this._roomStop = this.client.watch<V>(this._room, (s) => {
      this.state = s;
      this.host.requestUpdate();
    });
  }

  private _unwatch(): void {
    this._roomStop?.();
    this._roomStop = undefined;
  }
}
