import { Type, type Platform, type EntityProperty } from "@mikro-orm/core";

/** Maps the domain's epoch-millisecond instants to `timestamptz` columns. */
export class EpochMsType extends Type<number | null, Date | null> {
  override convertToDatabaseValue(value: number | null): Date | null {
    return value === null || value === undefined ? null : new Date(value);
  }

  override convertToJSValue(value: Date | string | number | null): number | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.getTime();
    if (typeof value === "number") return value;
    return Date.parse(value);
  }

  override compareAsType(): string {
    return "date";
  }

  /** Snapshots hold Dates: compare instants, not object identity (else every flush rewrote unchanged instants). */
  override compareValues(a: Date | null, b: Date | null): boolean {
    return (
      (a === null || a === undefined ? null : new Date(a).getTime()) === (b === null || b === undefined ? null : new Date(b).getTime())
    );
  }

  override getColumnType(_prop: EntityProperty, _platform: Platform): string {
    return "timestamptz";
  }
}
