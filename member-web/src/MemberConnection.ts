import type { ReactiveController, ReactiveControllerHost } from "lit";
import { io, type Socket } from "socket.io-client";
import { SpotterClient, errorMessage, type ConnectionState, type RoomState } from "../../domain/client/index.js";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { PublicGymView } from "../../domain/views/gymView.js";
import type { UserView } from "../../domain/views/userView.js";
import type { MeResult, MyGym } from "./types.js";

const GYM_KEY = "spotter.member.gym";

/**
 * The member's live connection, as a ReactiveController: one socket while the app is on the page,
 * `user:me` once connected, and the two rooms every screen reads — `user:<me>` and `gym:<myGym>`.
 * The host re-renders on every change; screens stay dumb views of these fields.
 */
export class MemberConnection implements ReactiveController {
  connection: ConnectionState = { status: "connecting", error: null };
  me: MeResult | null = null;
  /** Why the app cannot show my gym (user:me failed, no gym, room refused), in words. */
  problem = "";
  gym: PublicGymView | null = null;
  gymStatus: RoomState<PublicGymView>["status"] = "joining";
  user: UserView | null = null;
  userStatus: RoomState<UserView>["status"] = "joining";
  readonly userRoom: RoomId;
  private socket: Socket | null = null;
  private client: SpotterClient | null = null;
  private stops: (() => void)[] = [];
  private gymId: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly token: string,
    userId: string,
  ) {
    this.userRoom = `user:${userId}`;
    host.addController(this);
  }

  get online(): boolean {
    return this.connection.status === "connected";
  }

  /** Sends a command; answers at once with an error while offline (never queued). */
  send = <T = unknown>(room: RoomId, type: string, payload: unknown): Promise<Ack<T>> =>
    this.client ? this.client.command<T>(room, type, payload) : Promise.resolve({ ok: false, error: { code: "UNAVAILABLE", message: "You're offline — reconnecting…" } });

  /** The gym room id, once known. */
  get gymRoom(): RoomId | null {
    return this.gymId ? `gym:${this.gymId}` : null;
  }

  hostConnected(): void {
    this.socket = io(location.origin, { auth: { token: this.token }, transports: ["websocket"] });
    const client = (this.client = new SpotterClient(this.socket));
    this.stops.push(
      client.onConnection((c) => {
        const wasOnline = this.online;
        this.connection = c;
        if (c.status === "connected" && !wasOnline && !this.me) void this.loadMe();
        if (c.status === "denied")
          this.host.dispatchEvent(new CustomEvent("member-denied", { detail: errorMessage(c.error), bubbles: true, composed: true }));
        this.host.requestUpdate();
      }),
      client.watch<UserView>(this.userRoom, (s) => {
        this.user = s.view ?? null;
        this.userStatus = s.status;
        if (s.status === "error") this.problem = errorMessage(s.error);
        this.host.requestUpdate();
      }),
    );
  }

  hostDisconnected(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.client?.close();
    this.socket?.disconnect();
    this.client = null;
    this.socket = null;
  }

  private async loadMe(): Promise<void> {
    const ack = await this.send<MeResult>(this.userRoom, "user:me", {});
    if (!ack.ok) {
      this.problem = `We couldn't load your gym: ${errorMessage(ack.error)}`;
      this.host.requestUpdate();
      return;
    }
    this.me = ack.result;
    const gym = pickGym(ack.result.gyms);
    if (!gym) this.problem = "You're not a member of any gym on this server yet — ask the front desk to add you.";
    else this.watchGym(gym.gymId);
    this.host.requestUpdate();
  }

  private watchGym(gymId: string): void {
    if (!this.client || this.gymId === gymId) return;
    this.gymId = gymId;
    localStorage.setItem(GYM_KEY, gymId);
    this.problem = "";
    this.stops.push(
      this.client.watch<PublicGymView>(`gym:${gymId}`, (s) => {
        this.gym = s.view ?? null;
        this.gymStatus = s.status;
        if (s.status === "error") this.problem = `We couldn't load the schedule: ${errorMessage(s.error)}`;
        this.host.requestUpdate();
      }),
    );
  }
}

/** The gym last used on this device if I still belong to it, else my first gym. */
function pickGym(gyms: MyGym[]): MyGym | undefined {
  const last = localStorage.getItem(GYM_KEY);
  return gyms.find((g) => g.gymId === last) ?? gyms[0];
}
