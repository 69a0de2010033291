import { InvalidInputError } from './errors.ts';

/**
 * A bot API key is known by its name alone: the console lists keys by it and a switched-off key's
 * bot is told it, so a blank name would leave nobody able to tell which bot a key belongs to.
 */
export function normaliseBotApiKeyName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new InvalidInputError('a bot API key needs a name that says which bot uses it', 'name');
  }
  return name.trim();
}
