import test from 'ava';
import type { DownloadPolicy, DownloadViewer, RecordingAudience } from '../../appliance/domain/index.ts';
import { ConflictError, assertFilesDownloadable, downloadDecision, postedLinkDue } from '../../appliance/domain/index.ts';

const corp = { id: 'srv-corp', name: 'Головной офис' };
const corp2 = { id: 'srv-corp2', name: 'Партнёр' };
const region = { id: 'srv-region', name: 'Регион' };

function audience(downloadPolicy: DownloadPolicy): RecordingAudience {
  return { owner: { ...corp, rules: { mayControlRecording: true, downloadPolicy } }, conferenceTitle: 'Планёрка', participantUserIds: new Set(['u-alice', 'u-bob', 'u-erin']) };
}

const viewers: Record<string, DownloadViewer | null> = {
  anonymous: null,
  'participant, same server': { userId: 'u-alice', server: corp },
  'participant, regional': { userId: 'u-bob', server: region },
  'participant, other corporate': { userId: 'u-erin', server: corp2 },
  'outsider, same server': { userId: 'u-carol', server: corp },
  'outsider, other corporate': { userId: 'u-dan', server: corp2 },
  'outsider, regional': { userId: 'u-rita', server: region },
};

const expected: Record<DownloadPolicy, Record<string, 'allowed' | 'sign-in' | 'refused'>> = {
  'anyone-with-link': Object.fromEntries(Object.keys(viewers).map((k) => [k, 'allowed'])),
  participants: {
    anonymous: 'sign-in',
    'participant, same server': 'allowed',
    'participant, regional': 'allowed',
    'participant, other corporate': 'allowed',
    'outsider, same server': 'refused',
    'outsider, other corporate': 'refused',
    'outsider, regional': 'refused',
  },
  'same-server': {
    anonymous: 'sign-in',
    'participant, same server': 'allowed',
    'participant, regional': 'refused',
    'participant, other corporate': 'refused',
    'outsider, same server': 'allowed',
    'outsider, other corporate': 'refused',
    'outsider, regional': 'refused',
  },
};

for (const [policy, byViewer] of Object.entries(expected) as Array<[DownloadPolicy, Record<string, string>]>) {
  test(`download rule ${policy}: every kind of viewer`, (t) => {
    for (const [who, want] of Object.entries(byViewer)) {
      const decision = downloadDecision(audience(policy), viewers[who]!);
      t.is(decision.allowed ? 'allowed' : decision.because, want, who);
      if (!decision.allowed) t.true(decision.message.length > 20, 'a refusal says why');
    }
  });
}

test('links exist only for a ready recording whose files are still kept', (t) => {
  t.notThrows(() => assertFilesDownloadable({ state: 'ready' }, null));
  t.throws(() => assertFilesDownloadable({ state: 'processing' }, null), { instanceOf: ConflictError, message: /not ready yet/ });
  t.throws(() => assertFilesDownloadable({ state: 'recording' }, null), { instanceOf: ConflictError });
  t.throws(() => assertFilesDownloadable({ state: 'failed' }, null), { instanceOf: ConflictError, message: /no files/ });
  t.throws(() => assertFilesDownloadable({ state: 'ready' }, new Date('2026-03-01T10:00:00Z')), { instanceOf: ConflictError, message: /deleted on 2026-03-01 under the retention policy/ });
});

test('a posted link is due for renewal once it has expired or will within an hour, or half its life when that is shorter', (t) => {
  const now = new Date('2026-11-26T10:00:00Z');
  const week = 7 * 24 * 3_600_000;
  const due = (leftMs: number, linkLifeMs = week) => postedLinkDue({ expiresAt: new Date(now.getTime() + leftMs), linkLifeMs }, now);
  t.true(due(-1000), 'expired');
  t.true(due(0), 'expiring now');
  t.true(due(3_599_999), 'less than an hour left');
  t.false(due(3_600_000), 'an hour left');
  t.false(due(week), 'just posted');
  t.true(due(29 * 60_000, 3_600_000), 'a one-hour link with under half its life left');
  t.false(due(30 * 60_000, 3_600_000), 'a one-hour link with half its life left');
});
