/**
 * Keeps Node's promise hooks off while no `AsyncLocalStorage.run` is in flight.
 *
 * MikroORM runs every `em.transactional` and every flush inside `AsyncLocalStorage.run` (its transaction
 * context, its "inside flush" flag). The first such run enables an async hook for the rest of the process,
 * and from then on every promise the process creates pays for it (`trackPromise`, the store propagation):
 * 5–7 % of the main thread in a booking storm whose commits never use a transaction. Node turns the hook
 * off again when every store is disabled, so this disables the stores a run used once no run is left
 * open; the next run enables them again (Node's `run` does that itself).
 *
 * Scope: a store is read only by code inside its run (MikroORM awaits everything it starts there), so a
 * continuation that outlives its run and still reads the store would see none — none of ours does. A
 * store entered with `enterWith` has no end; once one is seen, the hook stays on as before. Process-wide:
 * installed by the process entry (server/main.ts), not by a library module. No-op outside Node.
 */
import { AsyncLocalStorage } from "node:async_hooks";

let installed = false;
let open = 0;
let entered = false;
const used = new Set<AsyncLocalStorage<unknown>>();

function closeOne(): void {
  if (--open > 0 || entered) return;
  for (const store of used) store.disable();
  used.clear();
}

/** Installs the gate once for this process. */
export function gateAsyncContexts(): void {
  const proto = AsyncLocalStorage.prototype as AsyncLocalStorage<unknown>;
  if (installed || "Deno" in globalThis || typeof proto.disable !== "function") return;
  installed = true;
  const run = proto.run;
  const enterWith = proto.enterWith;
  proto.run = function gatedRun<R>(
    this: AsyncLocalStorage<unknown>,
    store: unknown,
    callback: (...args: unknown[]) => R,
    ...args: unknown[]
  ): R {
    used.add(this);
    open++;
    let result: R;
    try {
      result = run.call(this, store, callback, ...args) as R;
    } catch (err) {
      closeOne();
      throw err;
    }
    if (result instanceof Promise) void result.then(closeOne, closeOne);
    else closeOne();
    return result;
  } as typeof proto.run;
  proto.enterWith = function gatedEnterWith(this: AsyncLocalStorage<unknown>, store: unknown): void {
    entered = true;
    enterWith.call(this, store);
  };
}
