/**
 * The examples of README.md and docs/: every ```sh block's commands, each with the answer written
 * under it, and the patterns those answers are compared with. The convention is documented in
 * docs/README.md ("Every example is run"); test/http/docs-examples.test.ts runs the commands.
 *
 * - A command is what bash would read as one: quotes and backslash-newlines continue it.
 * - `# → 200 {…}` on the command's last line or on the lines right under it is its expected answer:
 *   a status, `Name: value` headers, and a body (JSON where `…` stands for what varies, or text).
 *   A JSON body left open continues on the following `#` lines until its brackets close.
 * - A ```json answer block is the body of the last command of the ```sh block before it (prose may
 *   come between, no other code block).
 * - `# not tested: <why>` on a command's last line leaves it out (it starts a server, say).
 */

export const ELLIPSIS = '…';
const EXPECT = /^#\s*→\s?/;
const NOT_TESTED = /#\s*not tested:\s*(\S.*)$/;

export interface Expectation {
  /** Line of the first `# →` (1-based, in the file). */
  line: number;
  status?: number;
  headers: { name: string; value: string }[];
  body?: string;
}

export interface DocCommand {
  file: string;
  /** Line of the command's first line (1-based). */
  line: number;
  /** The command as written, for bash (inline comments included: bash ignores them). */
  text: string;
  /** Why it is not run (`# not tested: …`), if so. */
  notTested?: string;
  expect?: Expectation;
}

export interface CodeBlock {
  lang: string;
  info: string;
  /** Line of the block's first content line (1-based). */
  line: number;
  content: string;
}

/** Fenced code blocks (``` or ~~~, possibly indented in a list), with their info strings. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (lines[j].trim().startsWith(fence) && lines[j].trim().replace(/[`~]/g, '') === '') break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ lang: info.split(/\s+/)[0] ?? '', info: info.trim(), line: i + 2, content: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Brackets still open in a JSON text (outside strings); negative when it closes more than it opens. */
function openBrackets(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

/**
 * Splits a shell block into commands, as bash would: a newline ends a command unless it is inside
 * quotes or escaped; `#` at the start of a word, outside quotes, starts a comment.
 */
function splitCommands(block: CodeBlock, file: string): { commands: DocCommand[]; errors: string[] } {
  const commands: DocCommand[] = [];
  const errors: string[] = [];
  const lines = block.content.split('\n');
  let current: { start: number; lines: string[] } | null = null;
  let quote: '' | "'" | '"' = '';
  // The command whose answer may still be written under it, and the open JSON of that answer.
  let last = null as DocCommand | null;
  let continuing = false;

  const addExpectation = (command: DocCommand, text: string, lineNo: number) => {
    const expect = (command.expect ??= { line: lineNo, headers: [] });
    let rest = text.trim();
    const status = /^([1-5]\d\d)(?:\s+|$)(.*)$/.exec(rest);
    if (status) {
      if (expect.status !== undefined) errors.push(`${file}:${lineNo}: a second status for one command`);
      expect.status = Number(status[1]);
      rest = status[2].trim();
    }
    if (!rest) return false;
    const header = /^([A-Za-z][A-Za-z0-9-]*):\s+(.*)$/.exec(rest);
    if (header && !/^["{[]/.test(rest)) {
      expect.headers.push({ name: header[1], value: header[2] });
      return false;
    }
    if (expect.body !== undefined) errors.push(`${file}:${lineNo}: a second body for one command`);
    expect.body = rest;
    return /^[{[]/.test(rest) && openBrackets(rest) > 0;
  };

  /** Ends the current command; `comment` is the comment on its last line, from its `#`. */
  const finish = (comment: string) => {
    if (!current) return;
    const text = current.lines.join('\n');
    const command: DocCommand = { file, line: block.line + current.start, text };
    const notTested = NOT_TESTED.exec(comment);
    if (notTested) command.notTested = notTested[1].trim();
    // An answer written on the command's own line, after its text.
    const inline = EXPECT.test(comment) ? comment.replace(EXPECT, '') : null;
    commands.push(command);
    last = command;
    continuing = inline !== null ? addExpectation(command, inline, block.line + current.start + current.lines.length - 1) : false;
    current = null;
  };

  for (const [index, line] of lines.entries()) {
    const lineNo = block.line + index;
    if (!current) {
      const trimmed = line.trim();
      if (continuing && last) {
        if (!trimmed.startsWith('#')) {
          errors.push(`${file}:${lineNo}: the answer of the command at line ${last.line} is left open`);
          continuing = false;
        } else {
          const more = trimmed.replace(/^#\s?/, '');
          last.expect!.body += `\n${more}`;
          const depth = openBrackets(last.expect!.body!);
          continuing = depth > 0;
          if (depth < 0) errors.push(`${file}:${lineNo}: the answer closes more brackets than it opens`);
          continue;
        }
      }
      if (trimmed === '') {
        last = null;
        continue;
      }
      if (trimmed.startsWith('#')) {
        if (EXPECT.test(trimmed)) {
          if (!last) errors.push(`${file}:${lineNo}: an answer (# →) must be right under its command`);
          else continuing = addExpectation(last, trimmed.replace(EXPECT, ''), lineNo);
        } else last = null; // a plain comment: what follows is not the previous command's answer
        continue;
      }
      current = { start: index, lines: [] };
    }
    current.lines.push(line);
    // Scan the line for quotes and for a comment that ends it.
    let comment = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote === "'") {
        if (c === "'") quote = '';
      } else if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = '';
      } else if (c === '\\') i++;
      else if (c === "'" || c === '"') quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
        comment = line.slice(i);
        break;
      }
    }
    const continued = !comment && quote === '' && /(^|[^\\])(\\\\)*\\$/.test(line);
    if (quote === '' && !continued) finish(comment);
  }
  if (current) errors.push(`${file}:${block.line + (current as { start: number }).start}: a command is left open (an unclosed quote?)`);
  if (continuing) errors.push(`${file}: the last answer of the block at line ${block.line} is left open`);
  return { commands, errors };
}

/** Fence languages of shell examples that are not ```sh (and so would not be run): refused. */
const OTHER_SHELLS = new Set(['bash', 'shell', 'console', 'zsh', 'shell-session', 'shellsession']);

/** Every command of a Markdown file's ```sh blocks, with its expected answer, and what is wrong with the examples. */
export function docCommands(markdown: string, file: string): { commands: DocCommand[]; errors: string[] } {
  const commands: DocCommand[] = [];
  const errors: string[] = [];
  const blocks = codeBlocks(markdown);
  for (const [i, block] of blocks.entries()) {
    if (OTHER_SHELLS.has(block.lang)) errors.push(`${file}:${block.line - 1}: a \`\`\`${block.lang} block; write shell examples as \`\`\`sh so that they are run`);
    if (block.lang === 'json' && /\banswer\b/.test(block.info)) {
      const previous = blocks[i - 1];
      const command = previous?.lang === 'sh' ? commands.filter((c) => c.line >= previous.line).at(-1) : undefined;
      if (!command) {
        errors.push(`${file}:${block.line - 1}: a \`\`\`json answer block must follow the \`\`\`sh block whose last command it answers, with no other code block between`);
        continue;
      }
      const expect = (command.expect ??= { line: block.line, headers: [] });
      if (expect.body !== undefined) errors.push(`${file}:${block.line - 1}: the command at line ${command.line} already has an answer body`);
      expect.body = block.content;
    }
    if (block.lang !== 'sh') continue;
    const split = splitCommands(block, file);
    commands.push(...split.commands);
    errors.push(...split.errors);
  }
  return { commands, errors };
}

// ---------------------------------------------------------------------------------------------
// Patterns: JSON in which `…` stands for what varies.

export type Pattern =
  | { kind: 'any' }
  | { kind: 'literal'; value: null | boolean | number }
  | { kind: 'string'; value: string }
  | { kind: 'object'; members: [string, Pattern][]; open: boolean }
  | { kind: 'array'; items: (Pattern | 'rest')[] };

/**
 * Parses JSON with `…`: as a value it matches any value; as an array item, any number of items
 * (none included); as an object member, any other members; inside a string, any characters.
 * Returns null when the text is not such JSON (it is then compared as text).
 */
export function parsePattern(text: string): Pattern | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`not a JSON pattern at ${i}`);
  };
  const expectChar = (c: string) => {
    ws();
    if (text[i] !== c) fail();
    i++;
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): Pattern => {
    ws();
    const c = text[i];
    if (text.startsWith(ELLIPSIS, i)) {
      i += ELLIPSIS.length;
      return { kind: 'any' };
    }
    if (c === '{') {
      i++;
      const members: [string, Pattern][] = [];
      let open = false;
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', members, open };
      }
      for (;;) {
        ws();
        if (text.startsWith(ELLIPSIS, i)) {
          i += ELLIPSIS.length;
          open = true;
        } else {
          const key = string();
          expectChar(':');
          members.push([key, value()]);
        }
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { kind: 'object', members, open };
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      const items: (Pattern | 'rest')[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items };
      }
      for (;;) {
        ws();
        if (text.startsWith(ELLIPSIS, i) && /^\s*[,\]]/.test(text.slice(i + ELLIPSIS.length))) {
          i += ELLIPSIS.length;
          items.push('rest');
        } else items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { kind: 'array', items };
        } else fail();
      }
    }
    if (c === '"') return { kind: 'string', value: string() };
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!literal) fail();
    i += literal![0].length;
    return { kind: 'literal', value: JSON.parse(literal![0]) as null | boolean | number };
  };
  try {
    const pattern = value();
    ws();
    return i === text.length ? pattern : null;
  } catch (e) {
    if (e instanceof SyntaxError) return null;
    throw e;
  }
}

/** Text in which `…` stands for any characters (whitespace runs compared as one space). */
export function globMatches(pattern: string, actual: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const parts = norm(pattern).split(ELLIPSIS).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`).test(norm(actual));
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

/** Why `actual` does not match `pattern` (at which path), or null when it does. */
export function mismatch(pattern: Pattern, actual: unknown, path = '$'): string | null {
  switch (pattern.kind) {
    case 'any':
      return actual === undefined ? `${path}: missing` : null;
    case 'literal':
      return actual === pattern.value ? null : `${path}: expected ${show(pattern.value)}, got ${show(actual)}`;
    case 'string': {
      if (typeof actual !== 'string') return `${path}: expected a string like ${show(pattern.value)}, got ${show(actual)}`;
      const parts = pattern.value.split(ELLIPSIS).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return new RegExp(`^${parts.join('[\\s\\S]*')}$`).test(actual) ? null : `${path}: expected ${show(pattern.value)}, got ${show(actual)}`;
    }
    case 'object': {
      if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${path}: expected an object, got ${show(actual)}`;
      const record = actual as Record<string, unknown>;
      for (const [key, member] of pattern.members) {
        if (!(key in record)) return `${path}: no property ${key} (it has ${Object.keys(record).join(', ')})`;
        const why = mismatch(member, record[key], `${path}.${key}`);
        if (why) return why;
      }
      if (!pattern.open) {
        const extra = Object.keys(record).filter((k) => !pattern.members.some(([m]) => m === k));
        if (extra.length) return `${path}: properties the answer shows but the docs do not (write them, or "…" for the rest): ${extra.join(', ')}`;
      }
      return null;
    }
    case 'array': {
      if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
      return arrayMismatch(pattern.items, actual, path);
    }
  }
}

function arrayMismatch(items: (Pattern | 'rest')[], actual: unknown[], path: string): string | null {
  // Backtracking over the `…` items (each takes any number of elements); patterns are short.
  let firstWhy: string | null = null;
  const go = (p: number, a: number): boolean => {
    if (p === items.length) {
      if (a === actual.length) return true;
      firstWhy ??= `${path}: ${actual.length - a} more item(s) than the docs show (end the list with "…" if they vary)`;
      return false;
    }
    const item = items[p];
    if (item === 'rest') {
      for (let take = a; take <= actual.length; take++) if (go(p + 1, take)) return true;
      return false;
    }
    if (a >= actual.length) {
      firstWhy ??= `${path}: ${actual.length} item(s), fewer than the docs show`;
      return false;
    }
    const why = mismatch(item, actual[a], `${path}[${a}]`);
    if (why) {
      firstWhy ??= why;
      return false;
    }
    return go(p + 1, a + 1);
  };
  return go(0, 0) ? null : (firstWhy ?? `${path}: does not match`);
}

/** Compares an answer's body with the docs': as a JSON pattern when the docs' is one, else as text. */
export function bodyMismatch(expected: string, actualText: string): string | null {
  const pattern = parsePattern(expected.trim());
  if (pattern) {
    let actual: unknown;
    try {
      actual = JSON.parse(actualText);
    } catch {
      return `the answer is not JSON: ${show(actualText)}`;
    }
    return mismatch(pattern, actual);
  }
  return globMatches(expected, actualText) ? null : `expected text ${show(expected)}, got ${show(actualText)}`;
}

// ---------------------------------------------------------------------------------------------
// Links between the pages.

/** The Markdown without its code: fenced blocks and inline code spans (links there are not links). */
function withoutCode(markdown: string): string {
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (open && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = null;
      kept.push('');
    } else if (open) {
      fence = open[1];
      kept.push('');
    } else kept.push(line.replace(/`+[^`]*`+/g, ''));
  }
  return kept.join('\n');
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const lines = markdown.split('\n');
  let fence: string | null = null;
  for (const line of lines) {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (open && line.trim().startsWith(fence)) fence = null;
      continue;
    }
    if (open) {
      fence = open[1];
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1].toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every relative link of a page (not http:, https: or mailto:), outside code, with its line. */
export function relativeLinks(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  for (const [index, line] of withoutCode(markdown).split('\n').entries()) {
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^(https?:|mailto:)/.test(m[1])) links.push({ line: index + 1, target: m[1] });
    }
  }
  return links;
}
