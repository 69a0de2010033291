import { Migration } from '@mikro-orm/migrations';

export class Migration20261126002514_console_users_and_sessions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "console_sessions" ("sid" text not null, "sess" jsonb not null, "expire" timestamptz not null, constraint "console_sessions_pkey" primary key ("sid"));`);
    this.addSql(`create index "console_sessions_expire_index" on "console_sessions" ("expire");`);

    this.addSql(`create table "console_users" ("id" uuid not null, "email" text not null, "password_hash" text not null, "role" text check ("role" in ('admin', 'auditor')) not null, "created_at" timestamptz not null, "last_login_at" timestamptz null, constraint "console_users_pkey" primary key ("id"));`);
    this.addSql(`alter table "console_users" add constraint "console_users_email_unique" unique ("email");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "console_sessions" cascade;`);

    this.addSql(`drop table if exists "console_users" cascade;`);
  }

}
