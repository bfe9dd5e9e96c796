import type { ReactiveController, ReactiveControllerHost } from "lit";
import { io, type Socket } from "socket.io-client";
import { SpotterClient, errorMessage, type ConnectionState } from "../../domain/client/index.js";
import { isStaffRole } from "../../domain/roles.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { currentToken, setCurrentToken } from "./token.js";
import { setFactorAccessToken } from "../../web/shared/factorApi.js";
import { keepFresh, type SessionInfo } from "../../web/shared/authClient.js";
import { listenOn, type Listen } from "../../web/shared/listen.js";
import { watchProtocol } from "../../web/shared/protocolCheck.js";
import { PROTOCOL_VERSION } from "../../domain/protocol/version.js";
import type { MyGymLine, StaffMe } from "./types.js";

const GYM_KEY = "spotter.admin.gym";

/**
 * The staff app's connection: one socket for the page's life, then who I am (`user:me` → pick a
 * gym where I am active staff → `gym:me`), read again when my access to the gym changes (a new role: the menus
 * follow). The host re-renders on every change.
 */
export class AdminSession implements ReactiveController {
  client: SpotterClient | null = null;
  /** Server events outside the room protocol (`board:changed`). */
  listen: Listen | null = null;
  connection: ConnectionState = { status: "connecting", error: null };
  me: StaffMe | null = null;
  /** Why the app cannot start (not staff anywhere, ...), in words. */
  problem = "";
  /** Why the session ended (signed out elsewhere, expired): the screen stays, a dialog asks to sign in again. */
  expired = "";
  private socket: Socket | null = null;
  private stop: (() => void) | undefined;
  private stopFresh: (() => void) | undefined;
  private stopOffline: (() => void) | undefined;
  private stopProtocol: (() => void) | undefined;
  private loading = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly session: SessionInfo,
  ) {
    host.addController(this);
    setCurrentToken(session.accessToken);
    // The HTTP screens (sign-in settings) send the same token, renewed in place.
    setFactorAccessToken(() => currentToken() ?? "");
  }

  /** Signed in again after `expired` (same person): the socket reconnects with the new token and rejoins its rooms. */
  renew(next: SessionInfo): boolean {
    if (next.userId !== this.session.userId) return false;
    Object.assign(this.session, next);
    setCurrentToken(next.accessToken);
    this.expired = "";
    this.freshen();
    if (this.socket && !this.socket.connected) this.socket.connect();
    this.host.requestUpdate();
    return true;
  }

  private freshen(): void {
    this.stopFresh?.();
    if (!this.socket) return;
    this.stopFresh = keepFresh(
      this.session,
      this.socket,
      (message) => this.end(message),
      (s) => setCurrentToken(s.accessToken),
    );
  }

  private end(message: string): void {
    this.expired = message;
    this.host.requestUpdate();
  }

  get gymRoom(): RoomId | null {
    return this.me ? `gym:${this.me.gymId}` : null;
  }

  hostConnected(): void {
    this.socket = io(location.origin, { auth: { token: this.session.accessToken, protocol: PROTOCOL_VERSION }, transports: ["websocket"] });
    this.stopProtocol = watchProtocol(this.socket);
    this.freshen();
    this.socket.on("auth:expired", (info: { message?: string }) => this.end(info.message ?? "Your session expired — sign in again."));
    // A role change (or a membership taken away) resets the gym room: read who I am again, so menus follow the new role.
    this.socket.on("room:reset", (r: { room?: string; reason?: string }) => {
      if (r.reason === "access_revoked" && r.room === this.gymRoom) void this.loadMe();
    });
    this.client = new SpotterClient(this.socket);
    this.listen = listenOn(this.socket);
    // The browser knows the network is gone (cable out, Wi-Fi down) long before a ping times out: drop the socket now,
    // so the front desk works offline at once; Socket.IO reconnects by itself when the network is back.
    const dropped = () => this.socket?.io.engine?.close();
    window.addEventListener("offline", dropped);
    this.stopOffline = () => window.removeEventListener("offline", dropped);
    this.stop = this.client.onConnection((c) => {
      this.connection = c;
      if (c.status === "denied") this.expired ||= c.error?.message ?? "Please sign in again.";
      if (c.status === "connected" && !this.me) void this.loadMe();
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.stopProtocol?.();
    this.stopOffline?.();
    this.stopFresh?.();
    this.stop?.();
    this.client?.close();
    this.socket?.disconnect();
    this.client = null;
    this.listen = null;
    this.socket = null;
  }

  private async loadMe(): Promise<void> {
    const client = this.client;
    const { userId } = this.session;
    if (!client || this.loading) return;
    this.loading = true;
    try {
      const mine = await client.command<{ gyms: MyGymLine[] }>(`user:${userId}`, "user:me", {});
      if (!mine.ok) return this.fail(errorMessage(mine.error));
      const staffGyms = mine.result.gyms.filter((g) => isStaffRole(g.role) && g.status === "active");
      const saved = localStorage.getItem(GYM_KEY);
      const gym = staffGyms.find((g) => g.gymId === saved) ?? staffGyms[0];
      if (!gym) return this.fail("This account isn't staff at any gym — members use the app at /.");
      const me = await client.command<StaffMe>(`gym:${gym.gymId}`, "gym:me", {});
      if (!me.ok) return this.fail(errorMessage(me.error));
      localStorage.setItem(GYM_KEY, gym.gymId);
      this.me = {
        ...me.result,
        gymName: me.result.gymName ?? gym.gymName,
        timeZone: me.result.timeZone ?? "UTC",
        currency: me.result.currency ?? "EUR",
      };
      this.problem = "";
    } finally {
      this.loading = false;
      this.host.requestUpdate();
    }
  }

  /**
   * Only the first read shows a problem. A read again after a reset that is refused leaves the screens as they are:
   * the rooms refuse them already, and a desk must see its own refusal to wipe its saved members (OfflineDesk).
   */
  private fail(problem: string): void {
    if (!this.me) this.problem = problem;
  }
}
