import test from 'ava';
import { DEFAULT_USAGE_LIMITS, LimitReachedError, assertMayAddConsumer, assertMayAddTransport, assertMayOpenConference } from '../../appliance/domain/index.ts';

const limits = { openConferencesPerUser: 2, transportsPerParticipant: 3, consumersPerParticipant: 5 };

test('each limit lets a user reach it and refuses one more, saying what to let go of', (t) => {
  const cases: Array<[(count: number) => void, number, RegExp]> = [
    [(n) => assertMayOpenConference(n, limits), 2, /2 open conferences.*leave one of yours/],
    [(n) => assertMayAddTransport(n, limits), 3, /3 media transports.*close one first/],
    [(n) => assertMayAddConsumer(n, limits), 5, /receive 5 media streams.*close a consumer first/],
  ];
  for (const [assert, limit, words] of cases) {
    for (let held = 0; held < limit; held++) t.notThrows(() => assert(held));
    const error = t.throws(() => assert(limit), { instanceOf: LimitReachedError });
    t.is(error?.code, 'limit_reached');
    t.regex(error!.message, words);
  }
});

test('the defaults leave room for an ordinary conference: two transports and a reconnect, sixty others seen and heard', (t) => {
  t.notThrows(() => assertMayAddTransport(3, DEFAULT_USAGE_LIMITS));
  t.notThrows(() => assertMayAddConsumer(60 * 3 - 1, DEFAULT_USAGE_LIMITS));
  t.true(DEFAULT_USAGE_LIMITS.openConferencesPerUser >= 1);
});
