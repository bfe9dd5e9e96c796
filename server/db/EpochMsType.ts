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
    return "number";
  }

  override getColumnType(_prop: EntityProperty, _platform: Platform): string {
    return "timestamptz";
  }
}
