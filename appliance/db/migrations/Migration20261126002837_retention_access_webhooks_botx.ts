import { Migration } from '@mikro-orm/migrations';

export class Migration20261126002837_retention_access_webhooks_botx extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "bot_api_keys" ("id" uuid not null, "name" text not null, "key_hash" text not null, "enabled" boolean not null default true, "created_at" timestamptz not null, "last_used_at" timestamptz null, constraint "bot_api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "bot_api_keys" add constraint "bot_api_keys_name_unique" unique ("name");`);
    this.addSql(`alter table "bot_api_keys" add constraint "bot_api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "botx_bots" ("id" uuid not null, "name" text not null, "cts_url" text not null, "bot_id" uuid not null, "secret_key" text not null, "enabled" boolean not null default true, "created_at" timestamptz not null, constraint "botx_bots_pkey" primary key ("id"));`);
    this.addSql(`alter table "botx_bots" add constraint "botx_bots_cts_url_bot_id_unique" unique ("cts_url", "bot_id");`);

    this.addSql(`create table "retention_policies" ("id" uuid not null, "name" text not null, "scope" text check ("scope" in ('global', 'server', 'mode')) not null, "server_id" uuid null, "mode_id" uuid null, "keep_days" int not null, "action" text check ("action" in ('delete-files', 'delete-recording')) not null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "retention_policies_pkey" primary key ("id"), constraint retention_policies_target_check check (("scope" = 'global' and "server_id" is null and "mode_id" is null) or ("scope" = 'server' and "server_id" is not null and "mode_id" is null) or ("scope" = 'mode' and "mode_id" is not null and "server_id" is null)));`);
    this.addSql(`alter table "retention_policies" add constraint "retention_policies_mode_id_unique" unique ("mode_id");`);
    this.addSql(`alter table "retention_policies" add constraint "retention_policies_server_id_unique" unique ("server_id");`);
    // One global policy, whatever writes the table.
    this.addSql(`create unique index "retention_policies_one_global" on "retention_policies" ("scope") where "scope" = 'global';`);

    this.addSql(`create table "recording_expiries" ("id" uuid not null, "recording_id" uuid not null, "files_deleted_at" timestamptz not null, "policy_id" uuid null, "keep_days" int not null, "file_count" int not null, "bytes_freed" bigint not null, constraint "recording_expiries_pkey" primary key ("id"));`);
    this.addSql(`alter table "recording_expiries" add constraint "recording_expiries_recording_id_unique" unique ("recording_id");`);

    this.addSql(`create table "legal_holds" ("id" uuid not null, "recording_id" uuid not null, "reason" text not null, "placed_by" text not null, "placed_at" timestamptz not null, constraint "legal_holds_pkey" primary key ("id"));`);
    this.addSql(`alter table "legal_holds" add constraint "legal_holds_recording_id_unique" unique ("recording_id");`);

    this.addSql(`create table "botx_chats" ("id" uuid not null, "conference_id" uuid not null, "botx_bot_id" uuid not null, "group_chat_id" uuid not null, "created_at" timestamptz not null, constraint "botx_chats_pkey" primary key ("id"));`);
    this.addSql(`alter table "botx_chats" add constraint "botx_chats_conference_id_unique" unique ("conference_id");`);

    this.addSql(`create table "webhooks" ("id" uuid not null, "name" text not null, "url" text not null, "secret" text not null, "events" jsonb not null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhooks_pkey" primary key ("id"));`);

    this.addSql(`create table "outbound_deliveries" ("id" uuid not null, "channel" text check ("channel" in ('webhook', 'botx')) not null, "webhook_id" uuid null, "botx_bot_id" uuid null, "event" text not null, "conference_id" uuid null, "recording_id" uuid null, "target" text not null, "payload" jsonb not null, "state" text check ("state" in ('pending', 'accepted', 'delivered', 'failed')) not null default 'pending', "attempts" int not null default 0, "last_error" text null, "sync_id" uuid null, "created_at" timestamptz not null, "finished_at" timestamptz null, constraint "outbound_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "outbound_deliveries_sync_id_index" on "outbound_deliveries" ("sync_id");`);
    this.addSql(`create index "outbound_deliveries_state_created_at_index" on "outbound_deliveries" ("state", "created_at");`);

    this.addSql(`create table "delivery_attempts" ("id" bigserial primary key, "delivery_id" uuid not null, "number" int not null, "at" timestamptz not null, "http_status" int null, "duration_ms" int not null, "outcome" text check ("outcome" in ('delivered', 'accepted', 'retry', 'failed')) not null, "error" text null);`);
    this.addSql(`create index "delivery_attempts_delivery_id_index" on "delivery_attempts" ("delivery_id");`);

    this.addSql(`alter table "retention_policies" add constraint "retention_policies_server_id_foreign" foreign key ("server_id") references "servers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "retention_policies" add constraint "retention_policies_mode_id_foreign" foreign key ("mode_id") references "recording_modes" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "recording_expiries" add constraint "recording_expiries_recording_id_foreign" foreign key ("recording_id") references "recordings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recording_expiries" add constraint "recording_expiries_policy_id_foreign" foreign key ("policy_id") references "retention_policies" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "legal_holds" add constraint "legal_holds_recording_id_foreign" foreign key ("recording_id") references "recordings" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "botx_chats" add constraint "botx_chats_conference_id_foreign" foreign key ("conference_id") references "conferences" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "botx_chats" add constraint "botx_chats_botx_bot_id_foreign" foreign key ("botx_bot_id") references "botx_bots" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "outbound_deliveries" add constraint "outbound_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "outbound_deliveries" add constraint "outbound_deliveries_botx_bot_id_foreign" foreign key ("botx_bot_id") references "botx_bots" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "delivery_attempts" add constraint "delivery_attempts_delivery_id_foreign" foreign key ("delivery_id") references "outbound_deliveries" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "botx_chats" drop constraint "botx_chats_botx_bot_id_foreign";`);

    this.addSql(`alter table "outbound_deliveries" drop constraint "outbound_deliveries_botx_bot_id_foreign";`);

    this.addSql(`alter table "recording_expiries" drop constraint "recording_expiries_policy_id_foreign";`);

    this.addSql(`alter table "outbound_deliveries" drop constraint "outbound_deliveries_webhook_id_foreign";`);

    this.addSql(`alter table "delivery_attempts" drop constraint "delivery_attempts_delivery_id_foreign";`);

    this.addSql(`drop table if exists "bot_api_keys" cascade;`);

    this.addSql(`drop table if exists "botx_bots" cascade;`);

    this.addSql(`drop table if exists "retention_policies" cascade;`);

    this.addSql(`drop table if exists "recording_expiries" cascade;`);

    this.addSql(`drop table if exists "legal_holds" cascade;`);

    this.addSql(`drop table if exists "botx_chats" cascade;`);

    this.addSql(`drop table if exists "webhooks" cascade;`);

    this.addSql(`drop table if exists "outbound_deliveries" cascade;`);

    this.addSql(`drop table if exists "delivery_attempts" cascade;`);
  }

}
