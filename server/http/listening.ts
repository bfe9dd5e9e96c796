/** A listening HTTP + WebSocket server. */
export interface Listening {
  port: number;
  transport: "uws" | "node";
  close(): Promise<void>;
}
