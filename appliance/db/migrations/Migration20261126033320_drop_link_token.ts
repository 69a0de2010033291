import { Migration } from '@mikro-orm/migrations';

export class Migration20261126033320_drop_link_token extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "recording_files" drop constraint "recording_files_link_token_unique";`);
    this.addSql(`alter table "recording_files" drop column "link_token";`);
  }

  override async down(): Promise<void> {
    // The tokens were never read, so new ones serve; the column has to be filled before it is not null.
    this.addSql(`alter table "recording_files" add column "link_token" text null;`);
    this.addSql(`update "recording_files" set "link_token" = gen_random_uuid()::text;`);
    this.addSql(`alter table "recording_files" alter column "link_token" set not null;`);
    this.addSql(`alter table "recording_files" add constraint "recording_files_link_token_unique" unique ("link_token");`);
  }

}
