import { Migration } from "@mikro-orm/migrations";

/**
 * Refunds of paid charges (issue 18): a refund is a charge of its own naming the paid one; the unique key makes a
 * charge refundable once, even when two owners press at the same moment.
 */
export class Migration20261206151700_charge_refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member_charge" add column "refund_of" uuid null;`);
    this.addSql(`alter table "member_charge" add constraint "member_charge_refund_of_unique" unique ("refund_of");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member_charge" drop constraint "member_charge_refund_of_unique";`);
    this.addSql(`alter table "member_charge" drop column "refund_of";`);
  }
}
