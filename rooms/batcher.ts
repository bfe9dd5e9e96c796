/**
 * Coalesces lookups by key: the first key starts a load at once; keys asked while a load runs wait
 * for the next one, which takes them all in one call. Under load that is one query per batch of
 * arrivals instead of one per arrival; alone, a key waits for nothing but its own query.
 */
export class Batcher<K, V> {
  private next: { keys: Set<K>; result: Promise<Map<K, V>> } | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
  ) {}

  /** The value for `key` (undefined when the load has none); rejects when its batch's load fails. */
  async load(key: K): Promise<V | undefined> {
    let batch = this.next;
    if (!batch || batch.keys.size >= this.maxBatch) {
      const keys = new Set<K>();
      const result: Promise<Map<K, V>> = this.running.then(() => {
        if (this.next?.keys === keys) this.next = null;
        return this.loadMany([...keys]);
      });
      batch = { keys, result };
      this.next = batch;
      this.running = result.catch(() => undefined);
    }
    batch.keys.add(key);
    return (await batch.result).get(key);
  }
}

/**
 * Like {@link Batcher}, for calls that must each count (no merging of equal inputs): calls made while
 * one round trip runs go together in the next; the answers come back in the same order. With `afterTurn`, a batch
 * goes after the current turn of the event loop (`setImmediate`), not from the microtask queue: calls made in one
 * turn go together, and none runs ahead of the work of the turn that asked for it.
 */
export class CallBatcher<I, O> {
  private next: { inputs: I[]; result: Promise<O[]> } | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runMany: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 500,
    private readonly afterTurn = false,
  ) {}

  async call(input: I): Promise<O> {
    let batch = this.next;
    if (!batch || batch.inputs.length >= this.maxBatch) {
      const inputs: I[] = [];
      const ready = this.afterTurn ? this.running.then(() => new Promise<void>((resolve) => setImmediate(resolve))) : this.running;
      const result: Promise<O[]> = ready.then(() => {
        if (this.next?.inputs === inputs) this.next = null;
        return this.runMany(inputs);
      });
      batch = { inputs, result };
      this.next = batch;
      this.running = result.catch(() => undefined);
    }
    const index = batch.inputs.push(input) - 1;
    return (await batch.result)[index]!;
  }
}
