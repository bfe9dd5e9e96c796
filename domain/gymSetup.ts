/** What setting a gym up adds to the model (docs/domain.md "Setting up a gym"). */

/** Opening hours: for each weekday (0 = Sunday … 6 = Saturday) its open spans as local "HH:MM" pairs; none = closed. */
export type OpeningHours = Record<"0" | "1" | "2" | "3" | "4" | "5" | "6", { opens: string; closes: string }[]>;

/** A room inside a location ("Main floor", "Spin studio"); archived, never deleted. */
export interface LocationRoom {
  id: string;
  gymId: string;
  locationId: string;
  name: string;
  archived: boolean;
}
