import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { DeskChange } from "../../domain/checkin/deskChanges.js";
import type { SpotterClient } from "../../domain/client/index.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import { RoomController } from "../../web/shared/RoomController.js";

/**
 * Tells an open member screen that someone changed the member it shows, wherever it was done (another tab, the desk,
 * another node): watches the staff view of `gym:<id>`, whose desk changes list every committed member change, and
 * counts up `revision` when one names the member. The profile and the account read again on a new revision.
 */
export class MemberChanges implements ReactiveController {
  /** Counts the changes to the shown member seen since this screen opened. */
  revision = 0;
  private readonly gym: RoomController<StaffGymView>;
  private seen: unknown = null;
  private started = false;
  private epoch: string | null = null;
  private lastSeq = 0;

  constructor(
    host: ReactiveControllerHost,
    client: SpotterClient,
    gymId: string,
    private readonly memberId: () => string | null,
  ) {
    this.gym = new RoomController<StaffGymView>(host, client, `gym:${gymId}`);
    host.addController(this);
  }

  hostUpdate(): void {
    const view = this.gym.view;
    if (!view || view === this.seen) return;
    this.seen = view;
    const listed = Object.values(view.desk ?? {}).sort((a, b) => a.seq - b.seq);
    const epoch = listed.at(-1)?.epoch ?? null;
    const last = listed.at(-1)?.seq ?? 0;
    // The first snapshot is where counting starts (the profile was just read); a new run of the room reads again.
    if (!this.started || (epoch !== null && this.epoch !== null && epoch !== this.epoch)) {
      if (this.started) this.revision += 1;
      this.started = true;
      this.epoch = epoch;
      this.lastSeq = last;
      return;
    }
    this.epoch ??= epoch;
    const fresh = listed.filter((c) => c.seq > this.lastSeq);
    this.lastSeq = Math.max(this.lastSeq, last);
    const id = this.memberId();
    if (id && fresh.some((c: DeskChange) => c.kind === "member" && c.memberId === id)) this.revision += 1;
  }
}
