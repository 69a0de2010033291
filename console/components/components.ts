import path from 'node:path';
import { ComponentLoader } from 'adminjs';

/**
 * The console's React components. AdminJS bundles them for the browser (rollup and babel, plain
 * TypeScript without JSX, since the project's compiler settings have no JSX): with NODE_ENV=production
 * once at start, otherwise on the first request for components.bundle.js.
 */
export function consoleComponents() {
  const loader = new ComponentLoader();
  const add = (name: string, file: string) => loader.add(name, path.join(import.meta.dirname, file));
  return {
    loader,
    Dashboard: add('Dashboard', 'dashboard.ts'),
    RecordingFiles: add('RecordingFiles', 'recording-files.ts'),
    ConfirmAction: add('ConfirmAction', 'confirm-action.ts'),
    IssueBotKey: add('IssueBotKey', 'issue-bot-key.ts'),
  };
}

export type ConsoleComponents = ReturnType<typeof consoleComponents>;
