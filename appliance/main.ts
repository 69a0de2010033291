/** Runs the appliance until SIGINT/SIGTERM, then shuts down cleanly. */
import { Appliance } from './appliance.ts';
import { ConfigError, loadConfig } from './config.ts';

let appliance: Appliance;
try {
  const config = loadConfig();
  appliance = await Appliance.start(config);
  const db = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}/pglite`;
  console.log(`appliance listening on ${appliance.url} (${db}; recordings in ${config.recordingsDir})`);
  if (config.demo) console.log(`demo sign-in: ${config.publicUrl}/demo  or  npm run token -- alice`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    appliance.stop().then(
      () => process.exit(0),
      (error) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  });
}
