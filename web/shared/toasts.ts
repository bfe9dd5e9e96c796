import { errorMessage } from "../../domain/client/index.js";
import type { Ack, ErrorBody } from "../../domain/protocol/envelope.js";

/** One message on screen. */
export interface Toast {
  id: number;
  kind: "error" | "success" | "info";
  message: string;
}

/**
 * The app-wide message that `<error-toast>` shows: at most one at a time, the newest replaces the
 * last (a pile of toasts covers a phone's buttons). Errors stay until dismissed or replaced (staff
 * must read them); successes fade after a few seconds.
 *
 * @example
 * const ack = await client.command(room, "class:checkIn", payload);
 * toasts.fromAck(ack, "Checked in Ana");
 */
export class ToastService {
  private list: Toast[] = [];
  private next = 1;
  private readonly listeners = new Set<(list: readonly Toast[]) => void>();

  get current(): readonly Toast[] {
    return this.list;
  }

  subscribe(listener: (list: readonly Toast[]) => void): () => void {
    this.listeners.add(listener);
    listener(this.list);
    return () => this.listeners.delete(listener);
  }

  show(kind: Toast["kind"], message: string, ms = kind === "error" ? 12_000 : 4_000): number {
    const id = this.next++;
    this.list = [{ id, kind, message }];
    this.emit();
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  success(message: string): number {
    return this.show("success", message);
  }

  /** An error in words: the server's message when it sent one, else the default for its code. */
  error(error: ErrorBody | string): number {
    return this.show("error", typeof error === "string" ? error : errorMessage(error));
  }

  /** Shows the outcome of a command; returns whether it succeeded. */
  fromAck(ack: Ack<unknown>, successMessage?: string): boolean {
    if (!ack.ok) {
      this.error(ack.error);
      return false;
    }
    if (successMessage) this.success(successMessage);
    return true;
  }

  dismiss(id: number): void {
    const before = this.list.length;
    this.list = this.list.filter((t) => t.id !== id);
    if (this.list.length !== before) this.emit();
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn(this.list);
  }
}

/** The shared instance used by both apps. */
export const toasts = new ToastService();
