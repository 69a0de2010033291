import test from 'ava';
import { InvalidInputError } from '../../appliance/domain/index.ts';
import { validateConsolePassword } from '../../appliance/domain/console.ts';

const EMAIL = 'admin@example.org';

test('bcrypt reads 72 bytes, not characters: a Cyrillic password is measured in UTF-8', (t) => {
  const cyrillic40 = 'Жж'.repeat(19) + '12';
  t.is(cyrillic40.length, 40);
  t.is(Buffer.byteLength(cyrillic40), 78);
  const error = t.throws(() => validateConsolePassword(cyrillic40, EMAIL), { instanceOf: InvalidInputError });
  t.is(error?.field, 'password');
  t.regex(error!.message, /at most 72 bytes.*78/);

  const exactly72 = 'Жж'.repeat(17) + '12-4';
  t.is(Buffer.byteLength(exactly72), 72);
  t.notThrows(() => validateConsolePassword(exactly72, EMAIL));
});

test('an ASCII password is refused from its 73rd character', (t) => {
  t.notThrows(() => validateConsolePassword('Aa1-'.repeat(18), EMAIL));
  t.throws(() => validateConsolePassword('Aa1-'.repeat(18) + 'x', EMAIL), { instanceOf: InvalidInputError, message: /at most 72 bytes/ });
});
