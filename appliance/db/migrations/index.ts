import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000400_initial } from './Migration20261126000400_initial.ts';
import { Migration20261126001623_recording_modes } from './Migration20261126001623_recording_modes.ts';
import { Migration20261126002514_console_users_and_sessions } from './Migration20261126002514_console_users_and_sessions.ts';
import { Migration20261126002837_retention_access_webhooks_botx } from './Migration20261126002837_retention_access_webhooks_botx.ts';
import { Migration20261126033320_drop_link_token } from './Migration20261126033320_drop_link_token.ts';
import { Migration20261126062740_recording_file_checksum_later } from './Migration20261126062740_recording_file_checksum_later.ts';
import { Migration20261205125748_controllers_left_stop_reason } from './Migration20261205125748_controllers_left_stop_reason.ts';

/** Committed schema changes, oldest first. A new one is added here as well as in its own file. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261126000400_initial', class: Migration20261126000400_initial },
  { name: 'Migration20261126001623_recording_modes', class: Migration20261126001623_recording_modes },
  { name: 'Migration20261126002514_console_users_and_sessions', class: Migration20261126002514_console_users_and_sessions },
  { name: 'Migration20261126002837_retention_access_webhooks_botx', class: Migration20261126002837_retention_access_webhooks_botx },
  { name: 'Migration20261126033320_drop_link_token', class: Migration20261126033320_drop_link_token },
  { name: 'Migration20261126062740_recording_file_checksum_later', class: Migration20261126062740_recording_file_checksum_later },
  { name: 'Migration20261205125748_controllers_left_stop_reason', class: Migration20261205125748_controllers_left_stop_reason },
];
