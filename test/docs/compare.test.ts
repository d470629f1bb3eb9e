/** The docs-example runner's own parts: what counts as a match, and which blocks it runs. */
import { describe, expect, it } from 'vitest';
import { jsonDifferences, jsonValues, textMatches } from './compare.js';
import { chains, readPage } from './markdown.js';

describe("comparing an example's output", () => {
  it('reads several JSON values printed one after another', () => {
    expect(jsonValues('{"a":1}{"b":"}{"}\n[1,2]\n"x" 3 null')).toEqual([{ a: 1 }, { b: '}{' }, [1, 2], 'x', 3, null]);
    expect(() => jsonValues('{"a":1} curl: (52) Empty reply')).toThrow();
  });

  it('compares JSON by structure, and finds what differs', () => {
    expect(jsonDifferences({ b: 2, a: [1, { c: 'x' }] }, { a: [1, { c: 'x' }], b: 2 })).toEqual([]);
    expect(jsonDifferences({ a: 1 }, { a: 2 })).toEqual(['$.a: expected 2, got 1']);
    expect(jsonDifferences({ a: 1, b: 2 }, { a: 1 })).toEqual(['$.b: not in the docs, got 2']);
    expect(jsonDifferences({ a: 1 }, { a: 1, b: 2 })).toEqual(['$.b: missing']);
    expect(jsonDifferences([1, 2], [1])).toHaveLength(1);
    expect(jsonDifferences('1', 1)).toHaveLength(1);
  });

  it('takes "<any>", "...": "..." and a trailing "..." where the docs use them, and nowhere else', () => {
    expect(jsonDifferences({ id: 'a1b2', n: { x: 1 } }, { id: '<any>', n: '<any>' })).toEqual([]);
    expect(jsonDifferences({ id: 'onerway-1234' }, { id: 'onerway-<any>' })).toEqual([]);
    expect(jsonDifferences({ id: 'finext-1234' }, { id: 'onerway-<any>' })).toHaveLength(1);
    expect(jsonDifferences({ a: 1, b: 2 }, { a: 1, '...': '...' })).toEqual([]);
    expect(jsonDifferences({ a: 2, b: 2 }, { a: 1, '...': '...' })).toHaveLength(1);
    expect(jsonDifferences([1, 2, 3], [1, '...'])).toEqual([]);
    expect(jsonDifferences([2, 3], [1, '...'])).toHaveLength(1);
    expect(jsonDifferences({}, { a: '<any>' })).toEqual(['$.a: missing']);
  });

  it('compares text line by line, with <any> inside a line and ... for lines', () => {
    expect(textMatches('a\nb  \n\n', 'a\nb')).toBe(true);
    expect(textMatches('a\nc', 'a\nb')).toBe(false);
    expect(textMatches('exit 12', 'exit <any>')).toBe(true);
    expect(textMatches('a\nx\ny\nb', 'a\n...\nb')).toBe(true);
    expect(textMatches('a\nx', 'a\n...\nb')).toBe(false);
    expect(textMatches('a\nb\nc', 'a\nb')).toBe(false);
  });
});

describe('reading the examples of a page', () => {
  const page = (md: string) => readPage('page.md', md);
  const fence = '```';

  it('runs a block with a start and its output, and chains what follows it', () => {
    const p = page(
      [
        `${fence}sh`,
        '# from a reset',
        'echo 1',
        fence,
        '',
        `${fence}json`,
        '1',
        fence,
        `${fence}sh`,
        '# after the previous example: more',
        'echo 2',
        fence,
        `${fence}text`,
        '2',
        fence,
      ].join('\n'),
    );
    expect(p.errors).toEqual([]);
    expect(p.examples.map((e) => [e.start, e.code, e.output.text])).toEqual([
      ['reset', '# from a reset\necho 1', '1'],
      ['previous', '# after the previous example: more\necho 2', '2'],
    ]);
    expect(chains(p)).toHaveLength(1);
  });

  it('refuses a block that neither runs nor says why, and a runnable one without its output', () => {
    expect(page([`${fence}sh`, 'echo 1', fence].join('\n')).errors).toHaveLength(1);
    expect(page([`${fence}json`, '{}', fence].join('\n')).errors).toHaveLength(1);
    expect(page([`${fence}sh`, '# from a reset', 'echo 1', fence, 'prose', `${fence}json`, '1', fence].join('\n')).errors[0]).toMatch(
      /followed at once by its output/,
    );
    expect(page([`${fence}sh`, '# after the previous example', 'echo 1', fence, `${fence}json`, '1', fence].join('\n')).errors).toHaveLength(1);
  });

  it('lists every block it does not run, with the reason', () => {
    const p = page(
      [
        `${fence}sh`,
        '# not run: needs Docker',
        'docker build .',
        fence,
        '<!-- not run: an illustration -->',
        `${fence}json`,
        '{}',
        fence,
        '<!-- not run until moved: docs/x.md -->',
        '## X',
        `${fence}sh`,
        'anything',
        fence,
        '## Y',
        `${fence}sh`,
        'unmarked',
        fence,
      ].join('\n'),
    );
    expect(p.skipped.map((s) => s.reason)).toEqual(['needs Docker', 'an illustration', 'not run until moved to docs/x.md']);
    expect(p.errors).toHaveLength(1);
  });
});
