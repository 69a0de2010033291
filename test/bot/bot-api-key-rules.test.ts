import test from 'ava';
import { InvalidInputError, normaliseBotApiKeyName } from '../../appliance/domain/index.ts';

test('a bot API key is named: blank names are refused on the name field, others trimmed', (t) => {
  for (const blank of ['', '   ', '\t\n', undefined, 42]) {
    const error = t.throws(() => normaliseBotApiKeyName(blank), { instanceOf: InvalidInputError }, String(blank));
    t.is(error?.field, 'name');
    t.regex(error?.message ?? '', /needs a name/);
  }
  t.is(normaliseBotApiKeyName('  Бот статуса '), 'Бот статуса');
});
