import type { OpeningHours } from "../../domain/model.js";

/** `gym:setup` answer. */
export interface GymSetup {
  name: string;
  timeZone: string;
  currency: string;
  locale: string;
  openingHours: OpeningHours | null;
  needsSetup: boolean;
  locations: {
    locationId: string;
    name: string;
    address: string;
    archived: boolean;
    rooms: { roomId: string; name: string; archived: boolean }[];
  }[];
  classTypes: { classTypeId: string; name: string; description: string; color: string; archived: boolean }[];
  series: {
    scheduleId: string;
    classTypeId: string;
    locationId: string;
    weekdays: number[];
    startTime: string;
    durationMinutes: number;
    capacity: number;
    startDate: string;
    endDate: string;
  }[];
}

export const Weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** Mon–Fri 06:00–21:00, Saturday 08:00–14:00, Sunday closed: a starting point the owner edits. */
export const DefaultHours: OpeningHours = {
  "0": [],
  "1": [{ opens: "06:00", closes: "21:00" }],
  "2": [{ opens: "06:00", closes: "21:00" }],
  "3": [{ opens: "06:00", closes: "21:00" }],
  "4": [{ opens: "06:00", closes: "21:00" }],
  "5": [{ opens: "06:00", closes: "21:00" }],
  "6": [{ opens: "08:00", closes: "14:00" }],
};

export const Currencies = ["EUR", "GBP", "USD", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN"] as const;
