import type { LiveConnection } from '../api/live-connection.ts';
import type { Notice, Notices } from '../ui/notices.ts';

/** Tells the user when the live connection is lost, counts down to the next try, and says when it is back. */
export function showConnectionState(live: LiveConnection, notices: Notices): () => void {
  let countdown: ReturnType<typeof setInterval> | undefined;
  let lost: Notice | undefined;
  const unsubscribe = live.onStatus((status) => {
    clearInterval(countdown);
    if (status.state === 'waiting') {
      const params = () => ({ seconds: Math.max(0, Math.ceil((status.retryAt - Date.now()) / 1000)), attempt: status.attempt });
      lost = notices.show('error.connectionLost', params(), { tone: 'error', id: 'connection' });
      countdown = setInterval(() => lost?.update('error.connectionLost', params()), 1000);
    } else if (status.state === 'connecting' && status.attempt > 0) {
      lost = notices.show('error.connecting', {}, { tone: 'error', id: 'connection' });
    } else if (status.state === 'open' && status.reconnected) {
      lost = undefined;
      notices.show('error.reconnected', {}, { tone: 'success', id: 'connection' });
    }
  });
  return () => {
    clearInterval(countdown);
    lost?.dismiss();
    unsubscribe();
  };
}
