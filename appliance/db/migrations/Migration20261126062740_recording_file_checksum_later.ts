import { Migration } from '@mikro-orm/migrations';

export class Migration20261126062740_recording_file_checksum_later extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "recording_files" alter column "sha256" drop not null;`);
  }

  override async down(): Promise<void> {
    // The older schema cannot say "not computed yet": such files get an empty checksum.
    this.addSql(`update "recording_files" set "sha256" = '' where "sha256" is null;`);
    this.addSql(`alter table "recording_files" alter column "sha256" set not null;`);
  }

}
