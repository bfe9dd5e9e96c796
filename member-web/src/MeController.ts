import type { ReactiveController, ReactiveControllerHost } from "lit";
import { errorMessage, type SpotterClient } from "../../domain/client/index.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { MeResult, MyGym } from "./types.js";

const GYM_KEY = "spotter.member.gym";

/**
 * Who I am (`user:me`), asked once the connection is up, and which gym the app shows:
 * the gym last used on this device if I still belong to it, else my first gym.
 */
export class MeController implements ReactiveController {
  me: MeResult | null = null;
  gym: MyGym | null = null;
  /** Why the app cannot show my gym, in words (empty when fine). */
  problem = "";
  private _stop: (() => void) | undefined;
  private _loading = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: SpotterClient,
    private readonly userRoom: RoomId,
    private readonly onGym: (gym: MyGym) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this._stop = this.client.onConnection((c) => {
      if (c.status === "connected" && !this.me) void this._load();
    });
  }

  hostDisconnected(): void {
    this._stop?.();
    this._stop = undefined;
  }

  private async _load(): Promise<void> {
    if (this._loading) return;
    this._loading = true;
    const ack = await this.client.command<MeResult>(this.userRoom, "user:me", {});
    this._loading = false;
    if (!ack.ok) {
      this.problem = `We couldn't load your gym: ${errorMessage(ack.error)}`;
      this.host.requestUpdate();
      return;
    }
    this.me = ack.result;
    const last = localStorage.getItem(GYM_KEY);
    this.gym = ack.result.gyms.find((g) => g.gymId === last) ?? ack.result.gyms[0] ?? null;
    if (this.gym) {
      localStorage.setItem(GYM_KEY, this.gym.gymId);
      this.problem = "";
      this.onGym(this.gym);
    } else this.problem = "You're not a member of any gym on this server yet — ask the front desk to add you.";
    this.host.requestUpdate();
  }
}
