import { Migration } from '@mikro-orm/migrations';

export class Migration20261205125748_controllers_left_stop_reason extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "recordings" drop constraint if exists "recordings_stop_reason_check";`);

    this.addSql(`alter table "recordings" add constraint "recordings_stop_reason_check" check("stop_reason" in ('timer', 'menu', 'leave', 'all-admins-left', 'controllers-left', 'failure', 'disk-full'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "recordings" drop constraint if exists "recordings_stop_reason_check";`);
    // The older schema knows no other automatic stop on leaving.
    this.addSql(`update "recordings" set "stop_reason" = 'all-admins-left' where "stop_reason" = 'controllers-left';`);

    this.addSql(`alter table "recordings" add constraint "recordings_stop_reason_check" check("stop_reason" in ('timer', 'menu', 'leave', 'all-admins-left', 'failure', 'disk-full'));`);
  }

}
