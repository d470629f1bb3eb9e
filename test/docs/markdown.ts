/**
 * Reads the runnable examples out of the docs. The markup is described for readers in docs/README.md
 * ("How the examples are run"); in short, a code block is one of:
 * - a runnable example: a ```sh (or ```js) block whose first line says where it starts from
 *   (`# from a reset`, `# after the previous example`, `# no sandbox needed`, `# with PostgreSQL`), followed by its output
 *   in a ```json or ```text block;
 * - the reset preamble (`# reset preamble`), what "from a reset" runs first;
 * - not run, with its reason: a first line `# not run: …` (`// not run: …`), or `<!-- not run: … -->`
 *   on the line before the block;
 * - inside a section that waits to be moved (`<!-- not run until moved: … -->` above it, up to the
 *   next `## ` heading), not run, listed with that reason.
 * Anything else is an error, so no block goes unchecked silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docFiles } from '../../scripts/generate-docs.js';

export type Start = 'reset' | 'previous' | 'none' | 'postgres';

export interface CodeBlock {
  file: string;
  line: number;
  /** The line of its closing fence. */
  end: number;
  lang: string;
  text: string;
  /** The `<!-- … -->` comment on the line just above the fence, if any. */
  note: string | null;
  /** The reason of the enclosing "not run until moved" section, if any. */
  pendingMove: string | null;
}

export interface Example {
  file: string;
  line: number;
  lang: 'sh' | 'js';
  start: Start;
  code: string;
  output: { lang: 'json' | 'text'; text: string; line: number };
}

export interface Skipped {
  file: string;
  line: number;
  reason: string;
}

export interface Page {
  file: string;
  examples: Example[];
  skipped: Skipped[];
  preamble: Example | null;
  errors: string[];
}

const STARTS: Record<string, Start> = {
  'from a reset': 'reset',
  'after the previous example': 'previous',
  'no sandbox needed': 'none',
  'with PostgreSQL': 'postgres',
};

export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let pendingMove: string | null = null;
  // The marker stands above the heading of the section it holds back, up to the next heading of its level.
  let armed: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{1,2} /.test(line)) [pendingMove, armed] = [armed, null];
    const moved = /<!-- not run until moved: (.+?) -->/.exec(line);
    if (moved) armed = `not run until moved to ${moved[1]}`;
    const fence = /^(`{3,})(\S*)\s*$/.exec(line);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== fence[1]; i++) body.push(lines[i]);
    const above = start > 0 ? /^<!-- (.+) -->$/.exec(lines[start - 1].trim()) : null;
    blocks.push({ file, line: start + 1, end: i + 1, lang: fence[2], text: body.join('\n'), note: above ? above[1] : null, pendingMove });
  }
  return blocks;
}

function firstLine(block: CodeBlock): string {
  const first = block.text.split('\n')[0].trim();
  return first.replace(/^(#|\/\/)\s*/, '');
}

export function readPage(file: string, markdown: string): Page {
  const blocks = codeBlocks(file, markdown);
  const page: Page = { file, examples: [], skipped: [], preamble: null, errors: [] };
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const where = `${file}:${block.line}`;
    if (block.pendingMove) {
      page.skipped.push({ file, line: block.line, reason: block.pendingMove });
      continue;
    }
    const notRun = /^not run: (.+)$/.exec(block.note ?? '') ?? /^not run: (.+)$/.exec(firstLine(block));
    if (notRun) {
      page.skipped.push({ file, line: block.line, reason: notRun[1] });
      continue;
    }
    const lang = block.lang === 'sh' || block.lang === 'bash' ? 'sh' : block.lang === 'js' ? 'js' : null;
    const first = firstLine(block);
    // A start may carry a remark after a colon: `# after the previous example: the client's tests`.
    const key = Object.keys(STARTS).find((s) => first === s || first.startsWith(`${s}:`));
    const start = first === 'reset preamble' ? 'reset' : key ? STARTS[key] : undefined;
    if (!lang || start === undefined) {
      page.errors.push(
        `${where}: a \`\`\`${block.lang} block that is neither a runnable example (first line: ${Object.keys(STARTS)
          .map((s) => `"# ${s}"`)
          .join(', ')}) nor marked "not run: <reason>"`,
      );
      continue;
    }
    const next = blocks[i + 1];
    const between = next ? markdown.split('\n').slice(block.end, next.line - 1) : [];
    if (!next || (next.lang !== 'json' && next.lang !== 'text') || between.some((l) => l.trim() !== '')) {
      page.errors.push(`${where}: a runnable example must be followed at once by its output, a \`\`\`json or \`\`\`text block`);
      continue;
    }
    i++;
    const example: Example = {
      file,
      line: block.line,
      lang,
      start,
      code: block.text,
      output: { lang: next.lang as 'json' | 'text', text: next.text, line: next.line },
    };
    if (first === 'reset preamble') {
      if (page.preamble) page.errors.push(`${where}: a second reset preamble`);
      page.preamble = example;
    }
    if (start === 'previous' && page.examples.length === 0) page.errors.push(`${where}: "after the previous example" with no example before it on the page`);
    page.examples.push(example);
  }
  return page;
}

export function readPages(root: string): Page[] {
  return docFiles(root).map((file) => readPage(file, readFileSync(join(root, file), 'utf8')));
}

/** Examples grouped into chains: one that starts from a reset (or needs no sandbox) and those after it. */
export function chains(page: Page): Example[][] {
  const out: Example[][] = [];
  for (const example of page.examples) {
    if (example.start === 'previous' && out.length > 0) out[out.length - 1].push(example);
    else out.push([example]);
  }
  return out;
}
