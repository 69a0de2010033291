import { Migration } from '@mikro-orm/migrations';

export class Migration20261126001623_recording_modes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "recording_modes" ("id" uuid not null, "name" text not null, "is_default" boolean not null default false, "kind" text check ("kind" in ('composite', 'audio-only', 'separate-tracks')) not null, "width" int not null, "height" int not null, "fps" int not null, "video_bitrate_kbps" int not null, "container" text check ("container" in ('mp4', 'mkv')) not null, "audio_codec" text check ("audio_codec" in ('aac', 'opus')) not null, "only_consenting" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "recording_modes_pkey" primary key ("id"));`);
    this.addSql(`alter table "recording_modes" add constraint "recording_modes_name_unique" unique ("name");`);
    // At most one default mode, whatever writes the table.
    this.addSql(`create unique index "recording_modes_one_default" on "recording_modes" ("is_default") where "is_default";`);

    this.addSql(`alter table "servers" add column "default_mode_id" uuid null;`);
    this.addSql(`alter table "servers" add constraint "servers_default_mode_id_foreign" foreign key ("default_mode_id") references "recording_modes" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recordings" add column "mode" jsonb null, add column "mode_id" uuid null;`);
    this.addSql(`alter table "recordings" add constraint "recordings_mode_id_foreign" foreign key ("mode_id") references "recording_modes" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "servers" drop constraint "servers_default_mode_id_foreign";`);

    this.addSql(`alter table "recordings" drop constraint "recordings_mode_id_foreign";`);

    this.addSql(`drop table if exists "recording_modes" cascade;`);

    this.addSql(`alter table "recordings" drop column "mode", drop column "mode_id";`);

    this.addSql(`alter table "servers" drop column "default_mode_id";`);
  }

}
