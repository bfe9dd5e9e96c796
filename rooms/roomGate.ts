/**
 * A held room's gate (one job of `RoomActor`): while held, the mailbox keeps messages unhandled, in order, until
 * the gate opens. A room loaded beside its lease claim is not this node's yet, so its own timer and standings
 * notes must not decide or commit anything before the claim is won.
 */
export class RoomGate {
  private gate: { opened: Promise<void>; open(): void } | null = null;

  /** What the mailbox waits on while held (null: not held). */
  get opened(): Promise<void> | null {
    return this.gate?.opened ?? null;
  }

  hold(): void {
    if (this.gate) return;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
  }

  /** Lets held messages through, in order. */
  release(): void {
    this.gate?.open();
    this.gate = null;
  }
}
