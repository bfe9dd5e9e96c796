import type { FeePolicy } from "../domain/class/state.js";
import type { ClassRoomState } from "../domain/views/classView.js";

/**
 * A class room's state after its gym's fees changed (issue 18): a class that has not closed charges the new fees from
 * the next decision on; one that closed, or another gym's, is left as it is. Telling it twice changes nothing more.
 * @example withFees(state, "gym-1", { currency: "EUR", lateCancelFeeCents: 700, noShowFeeCents: 1000 })
 */
export function withFees(state: ClassRoomState, gymId: string, feePolicy: FeePolicy): ClassRoomState {
  const cls = state.cls;
  if (cls.session.gymId !== gymId || cls.session.status !== "scheduled") return state;
  const was = cls.feePolicy;
  const same =
    was.currency === feePolicy.currency &&
    was.lateCancelFeeCents === feePolicy.lateCancelFeeCents &&
    was.noShowFeeCents === feePolicy.noShowFeeCents;
  return same ? state : { ...state, cls: { ...cls, feePolicy: { ...feePolicy } } };
}
