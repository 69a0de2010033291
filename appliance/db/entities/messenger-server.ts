import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { DownloadPolicy, ServerKind } from '../../domain/index.ts';
import { DOWNLOAD_POLICIES, SERVER_KINDS } from '../../domain/index.ts';
import { RecordingMode } from './recording-mode.ts';

/** A messenger server whose users sign in to the appliance with tokens it signs. */
@Entity({ tableName: 'servers' })
export class MessengerServer {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  @Unique()
  name!: string;

  @Enum({ items: () => [...SERVER_KINDS], type: 'text' })
  kind!: ServerKind;

  /** An HS256 shared secret, or a PEM public key for RS256/ES256 tokens. */
  @Property({ type: 'text', hidden: true })
  tokenKey!: string;

  @Property({ type: 'boolean' })
  mayControlRecording!: boolean;

  @Enum({ items: () => [...DOWNLOAD_POLICIES], type: 'text', default: 'anyone-with-link' })
  downloadPolicy: Opt<DownloadPolicy> = 'anyone-with-link';

  /** The mode for recordings started by this server's users; null means the appliance's default. */
  @ManyToOne({ entity: () => RecordingMode, mapToPk: true, fieldName: 'default_mode_id', nullable: true, deleteRule: 'set null' })
  defaultModeId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
