import type { RoomId } from "../domain/protocol/envelope.js";
import type { Claim, RoomDirectory } from "./coordination.js";
import type { AnyRoom, EarlyRoom, RoomRegistry } from "./RoomRegistry.js";

/** A lease claim sent to the directory and not yet answered; the lease is counted from `at`, whoever waits on it. */
export interface ClaimInFlight {
  at: number;
  owner: Promise<Claim>;
}

/** A room read started beside the claim a join sent, before this node knows whether it owns the room. */
export interface EarlyJoin {
  /** Another node owns the room: drop the read. */
  discard(): void;
  /** This node owns the room: its actor (the early read, or a fresh one when that read may be stale). */
  adopt(): Promise<AnyRoom>;
}

export interface ColdClaimsOptions {
  node: string;
  directory: RoomDirectory;
  registry: RoomRegistry;
  now: () => number;
}

/**
 * Claims of cold rooms, and the early join beside them. A herd of first commands to a cold room makes
 * one claim (and learns the owner once), not one each; the join that sent the claim reads the room beside
 * it (one round trip in a row, not two) and adopts that read once the claim says the room is this node's.
 */
export class ColdClaims {
  private readonly claiming = new Map<RoomId, ClaimInFlight>();

  constructor(private readonly o: ColdClaimsOptions) {}

  /** The claim in flight for the room, if any. */
  inFlight(room: RoomId): ClaimInFlight | undefined {
    return this.claiming.get(room);
  }

  /** The claim in flight for the room, sending one if there is none. */
  claim(room: RoomId): ClaimInFlight {
    let claim = this.claiming.get(room);
    if (!claim) {
      const owner = this.o.directory.claim(room, this.o.node);
      claim = { at: this.o.now(), owner };
      this.claiming.set(room, claim);
      const done = () => void this.claiming.delete(room);
      owner.then(done, done);
    }
    return claim;
  }

  /**
   * Call right after starting to locate the room (same tick), with the claim in flight before: when locating sent
   * a new claim, starts reading the room beside it. Null when it did not, or the room can't be read early.
   */
  readBeside(room: RoomId, before: ClaimInFlight | undefined): EarlyJoin | null {
    const sent = this.claiming.get(room);
    const early = sent && sent !== before ? this.o.registry.loadEarly(room) : null;
    if (!early || !sent) return null;
    return { discard: () => early.discard(), adopt: () => this.adoptEarly(early, sent) };
  }

  /**
   * The room's actor after this node claimed it: the one loaded beside the claim, unless that read may predate
   * another owner's last commits (it released the room lately, or the claim took so long that a lease could have
   * run out meanwhile); then it is read again after the claim.
   */
  private async adoptEarly(early: EarlyRoom, sent: ClaimInFlight): Promise<AnyRoom> {
    const claim = await sent.owner.catch(() => null);
    const slow = this.o.now() - sent.at >= this.o.directory.leaseMs / 2;
    if (claim && !claim.handedOver && !slow) return early.adopt();
    early.discard();
    return this.o.registry.get(early.room);
  }
}
