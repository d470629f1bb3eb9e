/**
 * Compares an example's real output with the output written beside it. JSON is compared by structure,
 * text line by line. Placeholders, for what really varies from run to run:
 * - `"<any>"` stands for any value; inside a longer string (`"onerway-<any>"`) for any characters;
 * - a member `"...": "..."` in an object allows members not shown; `"..."` as an array's last element
 *   allows more elements;
 * - in text, `<any>` stands for any characters of a line, and a line `...` for any number of lines.
 */

/** The JSON values in `text`, one after another (as several curl calls print them). */
export function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const end = valueEnd(text, i);
    values.push(JSON.parse(text.slice(i, end)));
    i = end;
  }
  return values;
}

function valueEnd(text: string, from: number): number {
  const open = text[from];
  if (open !== '{' && open !== '[' && open !== '"') {
    const m = /^[^\s{}[\]",]+/.exec(text.slice(from));
    if (!m) throw new SyntaxError(`not JSON at ${JSON.stringify(text.slice(from, from + 40))}`);
    return from + m[0].length;
  }
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new SyntaxError(`unterminated JSON at ${JSON.stringify(text.slice(from, from + 40))}`);
}

const MORE = '...';

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('<any>')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^]*')}$`,
  );
}

/** The differences between `actual` and `expected`, as JSON paths with what differs; [] when they match. */
export function jsonDifferences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (expected === '<any>') return [];
  if (typeof expected === 'string' && expected.includes('<any>')) {
    return typeof actual === 'string' && wildcard(expected).test(actual)
      ? []
      : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const open = expected.at(-1) === MORE;
    const items = open ? expected.slice(0, -1) : expected;
    if (open ? actual.length < items.length : actual.length !== items.length)
      return [`${path}: expected ${open ? 'at least ' : ''}${items.length} elements, got ${actual.length}: ${JSON.stringify(actual)}`];
    return items.flatMap((item, i) => jsonDifferences(actual[i], item, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const exp = expected as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const open = Object.hasOwn(exp, MORE);
    const out: string[] = [];
    for (const key of Object.keys(exp)) {
      if (key === MORE) continue;
      if (!Object.hasOwn(act, key)) out.push(`${path}.${key}: missing`);
      else out.push(...jsonDifferences(act[key], exp[key], `${path}.${key}`));
    }
    if (!open) for (const key of Object.keys(act)) if (!Object.hasOwn(exp, key)) out.push(`${path}.${key}: not in the docs, got ${JSON.stringify(act[key])}`);
    return out;
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** Whether the text output matches, line by line (trailing spaces and blank lines at either end ignored). */
export function textMatches(actual: string, expected: string): boolean {
  const lines = (s: string) =>
    s
      .replace(/\s+$/, '')
      .replace(/^\n+/, '')
      .split('\n')
      .map((l) => l.trimEnd());
  const act = lines(actual);
  const exp = lines(expected);
  const match = (a: number, e: number): boolean => {
    if (e === exp.length) return a === act.length;
    if (exp[e] === MORE) {
      for (let k = a; k <= act.length; k++) if (match(k, e + 1)) return true;
      return false;
    }
    return a < act.length && wildcard(exp[e]).test(act[a]) && match(a + 1, e + 1);
  };
  return match(0, 0);
}
