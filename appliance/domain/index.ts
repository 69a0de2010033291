/** The rules of the messenger's recording manual, as plain functions over plain data (no I/O). */
export * from './actor.ts';
export * from './bot-api-keys.ts';
export * from './botx.ts';
export * from './chat.ts';
export * from './conference.ts';
export * from './conference-aggregate.ts';
export * from './consent.ts';
export * from './disk-space.ts';
export * from './download-access.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './recording.ts';
export * from './recording-mode.ts';
export * from './recordings-bot.ts';
export * from './retention.ts';
export * from './servers.ts';
export * from './webhooks.ts';
