import type { PayloadOf } from "../../domain/client/index.js";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";

/** One gym of mine, as `user:me` answers. */
export interface MyGym {
  gymId: string;
  gymName: string;
  role: string;
  status: string;
}

/** The `user:me` answer. */
export interface MeResult {
  userId: string;
  name: string;
  gyms: MyGym[];
  streak: number;
  weekAdherence: { attended: number; target: number };
  credits: number | null;
  creditsExpireAt: number | null;
  visible: boolean;
  /** XP, logged workouts and the active-day streak (classes or logged workouts) in my first gym; null before any. */
  training?: { xp: number; workouts: number; streak: number; bestStreak: number } | null;
  /** My membership in my first gym as staff keep it: status in words, plan, money owed. */
  membership?: {
    gymId: string;
    status: string;
    message: string | null;
    frozenUntil: string | null;
    planName: string | null;
    owedCents: number;
    currency: string;
  } | null;
}

/** Sends one command and resolves with its ack; refuses at once (never queues) while offline. */
export type Send = <T = unknown, K extends string = string>(room: RoomId, type: K, payload: PayloadOf<K>) => Promise<Ack<T>>;
