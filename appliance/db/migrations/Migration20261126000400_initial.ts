import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000400_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null, "actor_user_id" uuid null, "actor_name" text null, "actor_server_id" uuid null, "action" text not null, "conference_id" uuid null, "recording_id" uuid null, "details" jsonb not null);`);
    this.addSql(`create index "audit_log_conference_id_index" on "audit_log" ("conference_id");`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);

    this.addSql(`create table "servers" ("id" uuid not null, "name" text not null, "kind" text check ("kind" in ('corporate', 'regional')) not null, "token_key" text not null, "may_control_recording" boolean not null, "download_policy" text check ("download_policy" in ('anyone-with-link', 'participants', 'same-server')) not null default 'anyone-with-link', "created_at" timestamptz not null, constraint "servers_pkey" primary key ("id"));`);
    this.addSql(`alter table "servers" add constraint "servers_name_unique" unique ("name");`);

    this.addSql(`create table "users" ("id" uuid not null, "server_id" uuid not null, "external_id" text not null, "name" text not null, "last_seen_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_server_id_external_id_unique" unique ("server_id", "external_id");`);

    this.addSql(`create table "conferences" ("id" uuid not null, "title" text not null, "created_by" uuid not null, "state" text check ("state" in ('active', 'ended')) not null, "created_at" timestamptz not null, "ended_at" timestamptz null, constraint "conferences_pkey" primary key ("id"));`);
    this.addSql(`create index "conferences_state_index" on "conferences" ("state");`);

    this.addSql(`create table "recordings" ("id" uuid not null, "conference_id" uuid not null, "number" int not null, "state" text check ("state" in ('recording', 'paused', 'processing', 'ready', 'failed')) not null, "started_by" uuid not null, "started_at" timestamptz not null, "recorded_ms" bigint not null, "running_since" timestamptz null, "stopped_at" timestamptz null, "stopped_by" uuid null, "stop_reason" text check ("stop_reason" in ('timer', 'menu', 'leave', 'all-admins-left', 'failure', 'disk-full')) null, "problem" text null, constraint "recordings_pkey" primary key ("id"));`);
    this.addSql(`create index "recordings_state_index" on "recordings" ("state");`);
    this.addSql(`alter table "recordings" add constraint "recordings_conference_id_number_unique" unique ("conference_id", "number");`);

    this.addSql(`create table "recording_files" ("id" uuid not null, "recording_id" uuid not null, "kind" text check ("kind" in ('video', 'audio', 'track', 'manifest')) not null, "path" text not null, "participant_name" text null, "medium" text check ("medium" in ('audio', 'video')) null, "size_bytes" bigint not null, "duration_ms" int null, "codecs" jsonb not null, "sha256" text not null, "link_token" text not null, "created_at" timestamptz not null, constraint "recording_files_pkey" primary key ("id"));`);
    this.addSql(`create index "recording_files_recording_id_index" on "recording_files" ("recording_id");`);
    this.addSql(`alter table "recording_files" add constraint "recording_files_link_token_unique" unique ("link_token");`);

    this.addSql(`create table "prompts" ("id" uuid not null, "conference_id" uuid not null, "recording_id" uuid not null, "user_id" uuid not null, "kind" text check ("kind" in ('consent', 'admin-confirmation')) not null, "created_at" timestamptz not null, "answered_at" timestamptz null, "answer" text check ("answer" in ('agree', 'leave')) null, constraint "prompts_pkey" primary key ("id"));`);
    this.addSql(`create index "prompts_conference_id_answered_at_index" on "prompts" ("conference_id", "answered_at");`);

    this.addSql(`create table "participants" ("id" uuid not null, "conference_id" uuid not null, "user_id" uuid not null, "name" text not null, "server_id" uuid not null, "role" text check ("role" in ('admin', 'member')) not null, "present" boolean not null, "joined_at" timestamptz not null, "left_at" timestamptz null, constraint "participants_pkey" primary key ("id"));`);
    this.addSql(`create index "participants_user_id_index" on "participants" ("user_id");`);
    this.addSql(`alter table "participants" add constraint "participants_conference_id_user_id_unique" unique ("conference_id", "user_id");`);

    this.addSql(`create table "consents" ("id" uuid not null, "conference_id" uuid not null, "user_id" uuid not null, "given_at" timestamptz not null, constraint "consents_pkey" primary key ("id"));`);
    this.addSql(`alter table "consents" add constraint "consents_conference_id_user_id_unique" unique ("conference_id", "user_id");`);

    this.addSql(`create table "chat_messages" ("id" uuid not null, "conference_id" uuid not null, "author_user_id" uuid null, "author_name" text not null, "text" text not null, "links" jsonb not null, "created_at" timestamptz not null, constraint "chat_messages_pkey" primary key ("id"));`);
    this.addSql(`create index "chat_messages_conference_id_created_at_index" on "chat_messages" ("conference_id", "created_at");`);

    this.addSql(`alter table "users" add constraint "users_server_id_foreign" foreign key ("server_id") references "servers" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "conferences" add constraint "conferences_created_by_foreign" foreign key ("created_by") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "recordings" add constraint "recordings_conference_id_foreign" foreign key ("conference_id") references "conferences" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recordings" add constraint "recordings_started_by_foreign" foreign key ("started_by") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "recordings" add constraint "recordings_stopped_by_foreign" foreign key ("stopped_by") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recording_files" add constraint "recording_files_recording_id_foreign" foreign key ("recording_id") references "recordings" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "prompts" add constraint "prompts_conference_id_foreign" foreign key ("conference_id") references "conferences" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "prompts" add constraint "prompts_recording_id_foreign" foreign key ("recording_id") references "recordings" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "prompts" add constraint "prompts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "participants" add constraint "participants_conference_id_foreign" foreign key ("conference_id") references "conferences" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "participants" add constraint "participants_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "participants" add constraint "participants_server_id_foreign" foreign key ("server_id") references "servers" ("id") on update cascade;`);

    this.addSql(`alter table "consents" add constraint "consents_conference_id_foreign" foreign key ("conference_id") references "conferences" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "consents" add constraint "consents_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "chat_messages" add constraint "chat_messages_conference_id_foreign" foreign key ("conference_id") references "conferences" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "chat_messages" add constraint "chat_messages_author_user_id_foreign" foreign key ("author_user_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_server_id_foreign";`);

    this.addSql(`alter table "participants" drop constraint "participants_server_id_foreign";`);

    this.addSql(`alter table "conferences" drop constraint "conferences_created_by_foreign";`);

    this.addSql(`alter table "recordings" drop constraint "recordings_started_by_foreign";`);

    this.addSql(`alter table "recordings" drop constraint "recordings_stopped_by_foreign";`);

    this.addSql(`alter table "prompts" drop constraint "prompts_user_id_foreign";`);

    this.addSql(`alter table "participants" drop constraint "participants_user_id_foreign";`);

    this.addSql(`alter table "consents" drop constraint "consents_user_id_foreign";`);

    this.addSql(`alter table "chat_messages" drop constraint "chat_messages_author_user_id_foreign";`);

    this.addSql(`alter table "recordings" drop constraint "recordings_conference_id_foreign";`);

    this.addSql(`alter table "prompts" drop constraint "prompts_conference_id_foreign";`);

    this.addSql(`alter table "participants" drop constraint "participants_conference_id_foreign";`);

    this.addSql(`alter table "consents" drop constraint "consents_conference_id_foreign";`);

    this.addSql(`alter table "chat_messages" drop constraint "chat_messages_conference_id_foreign";`);

    this.addSql(`alter table "recording_files" drop constraint "recording_files_recording_id_foreign";`);

    this.addSql(`alter table "prompts" drop constraint "prompts_recording_id_foreign";`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "servers" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "conferences" cascade;`);

    this.addSql(`drop table if exists "recordings" cascade;`);

    this.addSql(`drop table if exists "recording_files" cascade;`);

    this.addSql(`drop table if exists "prompts" cascade;`);

    this.addSql(`drop table if exists "participants" cascade;`);

    this.addSql(`drop table if exists "consents" cascade;`);

    this.addSql(`drop table if exists "chat_messages" cascade;`);
  }

}
