import fs from 'node:fs';

/**
 * Reads an append-only JSON-lines file, one object a line, up to the first line that does not
 * parse: the last one a crash cut short. Undefined when the file does not exist.
 */
export function readJsonLines<T>(file: string): T[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const entries: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as T);
    } catch {
      break;
    }
  }
  return entries;
}
