import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { ConnectionState, SpotterClient } from "../../domain/client/index.js";

/**
 * The connection state for a Lit element that shows it (banner, disabled buttons) without a room.
 *
 * @example
 * private readonly net = new ConnectionController(this, client);
 * render() { return html`<offline-banner .connection=${this.net.connection}></offline-banner>`; }
 */
export class ConnectionController implements ReactiveController {
  connection: ConnectionState;
  private _stop: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly client: SpotterClient,
  ) {
    this.connection = client.connection;
    host.addController(this);
  }

  get online(): boolean {
    return this.connection.status === "connected";
  }

  hostConnected(): void {
    this._stop = this.client.onConnection((c) => {
      this.connection = c;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this._stop?.();
    this._stop = undefined;
  }
}
