import test from 'ava';
import {
  DOWNLOAD_POLICIES,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  ConflictError,
  NotFoundError,
  PROMPT_CHOICES,
  SERVER_KINDS,
  TITLE_MAX_LENGTH,
  defaultServerRules,
  normaliseTitle,
  splitByState,
  validateServerInput,
} from '../../appliance/domain/index.ts';

test('defaultServerRules: corporate users may control recording, regional may not; links open to anyone', (t) => {
  t.deepEqual(defaultServerRules('corporate'), { mayControlRecording: true, downloadPolicy: 'anyone-with-link' });
  t.deepEqual(defaultServerRules('regional'), { mayControlRecording: false, downloadPolicy: 'anyone-with-link' });
  t.not(defaultServerRules('corporate'), defaultServerRules('corporate'), 'a fresh object each time');
  t.deepEqual(SERVER_KINDS, ['corporate', 'regional']);
  t.deepEqual(DOWNLOAD_POLICIES, ['anyone-with-link', 'participants', 'same-server']);
});

test('validateServerInput accepts valid and absent fields', (t) => {
  t.notThrows(() => validateServerInput({}));
  t.notThrows(() => validateServerInput({ name: 'Филиал', kind: 'regional', downloadPolicy: 'same-server' }));
  t.notThrows(() => validateServerInput({ name: 'x'.repeat(200), kind: 'corporate', downloadPolicy: 'participants' }));
  t.notThrows(() => validateServerInput({ downloadPolicy: 'anyone-with-link' }));
});

test('validateServerInput refuses each bad field with InvalidInputError naming it', (t) => {
  const cases: [Parameters<typeof validateServerInput>[0], string, string][] = [
    [{ name: '' }, 'name', 'a server name is 1 to 200 characters'],
    [{ name: '   ' }, 'name', 'a server name is 1 to 200 characters'],
    [{ name: 'x'.repeat(201) }, 'name', 'a server name is 1 to 200 characters'],
    [{ name: 42 }, 'name', 'a server name is 1 to 200 characters'],
    [{ name: null }, 'name', 'a server name is 1 to 200 characters'],
    [{ kind: 'federal' }, 'kind', 'a server kind is one of: corporate, regional'],
    [{ kind: 'Corporate' }, 'kind', 'a server kind is one of: corporate, regional'],
    [{ kind: null }, 'kind', 'a server kind is one of: corporate, regional'],
    [{ downloadPolicy: 'everyone' }, 'downloadPolicy', 'a download policy is one of: anyone-with-link, participants, same-server'],
    [{ downloadPolicy: 1 }, 'downloadPolicy', 'a download policy is one of: anyone-with-link, participants, same-server'],
  ];
  for (const [input, field, message] of cases) {
    const error = t.throws(() => validateServerInput(input), { instanceOf: InvalidInputError }, JSON.stringify(input));
    t.is(error?.field, field);
    t.is(error?.message, message);
  }
});

test('validateServerInput reports the first bad field: name, then kind, then policy', (t) => {
  const fieldOf = (input: Parameters<typeof validateServerInput>[0]) => t.throws(() => validateServerInput(input), { instanceOf: InvalidInputError })?.field;
  t.is(fieldOf({ name: '', kind: 'x', downloadPolicy: 'y' }), 'name');
  t.is(fieldOf({ name: 'ok', kind: 'x', downloadPolicy: 'y' }), 'kind');
  t.is(fieldOf({ name: 'ok', kind: 'regional', downloadPolicy: 'y' }), 'downloadPolicy');
});

test('normaliseTitle trims and collapses whitespace', (t) => {
  t.is(normaliseTitle('  Планёрка\n\tотдела   продаж  '), 'Планёрка отдела продаж');
  t.is(normaliseTitle('A'), 'A');
});

test('normaliseTitle: 1 to 200 characters after normalising, on the title field', (t) => {
  t.is(TITLE_MAX_LENGTH, 200);
  const max = 'т'.repeat(200);
  t.is(normaliseTitle(`   ${max}   `), max);
  t.is(normaliseTitle(`${'a '.repeat(100)}`), `${'a '.repeat(99)}a`, '200 characters before collapsing, 199 after');
  const long = t.throws(() => normaliseTitle('т'.repeat(201)), { instanceOf: InvalidInputError });
  t.is(long?.message, 'a conference title is at most 200 characters');
  t.is(long?.field, 'title');
  for (const empty of ['', ' ', '\n\t']) {
    const error = t.throws(() => normaliseTitle(empty), { instanceOf: InvalidInputError });
    t.is(error?.message, 'a conference needs a title');
    t.is(error?.field, 'title');
  }
});

test('splitByState keeps order and other fields, active first list, ended in completed', (t) => {
  const items = [
    { name: 'a', conference: { state: 'active' as const } },
    { name: 'b', conference: { state: 'ended' as const } },
    { name: 'c', conference: { state: 'active' as const } },
    { name: 'd', conference: { state: 'ended' as const } },
  ];
  const { active, completed } = splitByState(items);
  t.deepEqual(active.map((i) => i.name), ['a', 'c']);
  t.deepEqual(completed.map((i) => i.name), ['b', 'd']);
  t.is(active[0], items[0], 'the same objects, not copies');
  t.deepEqual(splitByState([]), { active: [], completed: [] });
});

test('domain errors carry their code, name, field and message', (t) => {
  const cases = [
    [new InvalidInputError('bad', 'f'), 'invalid', 'InvalidInputError'],
    [new ForbiddenError('no'), 'forbidden', 'ForbiddenError'],
    [new NotFoundError('gone'), 'not_found', 'NotFoundError'],
    [new ConflictError('busy'), 'conflict', 'ConflictError'],
  ] as const;
  for (const [error, code, name] of cases) {
    t.true(error instanceof DomainError);
    t.true(error instanceof Error);
    t.is(error.code, code);
    t.is(error.name, name);
  }
  t.is(cases[0][0].field, 'f');
  t.is(cases[1][0].field, undefined);
  t.is(cases[3][0].message, 'busy');
});

test('the two answers offered to a prompt', (t) => {
  t.deepEqual(PROMPT_CHOICES, { agree: 'Согласен на запись', leave: 'Покинуть конференцию' });
});
