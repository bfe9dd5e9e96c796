/**
 * Member photos for the desk card (issue 18): the port the upload route (`server/http/photoRoutes.ts`) stores and
 * reads them through. Adapter: `server/persistence/memberPhotoStore.ts` (one per member per gym, replaced on upload;
 * a staff upload audited in the same transaction).
 */
export interface StoredPhoto {
  contentType: string;
  bytes: Uint8Array;
  updatedAt: number;
}

export interface MemberPhotos {
  /** Stores (or replaces) the photo; a staff upload is audited in the same transaction. */
  save(p: {
    gymId: string;
    memberId: string;
    contentType: string;
    bytes: Uint8Array;
    by: string;
    staff: boolean;
    at: number;
  }): Promise<void>;
  get(gymId: string, memberId: string): Promise<StoredPhoto | null>;
}
