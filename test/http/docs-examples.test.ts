/**
 * Every command in README.md and docs/**\/*.md is run, so that an example cannot drift from what
 * the server answers. Per file, in document order, one bash session runs the commands of its
 * ```sh blocks against a fresh demo server (the demo data with its life stories, the fixed clock
 * of the tests, the demo key switchyard-demo-key) and checks each answer written under a
 * command (`# → 200 {…}`, or a ```json answer block); a command with no answer written must
 * succeed (exit 0, and a 2xx for its last request). The convention: docs/README.md.
 *
 * Commands run in a directory that mirrors the repository's root (examples/, dist/, package.json
 * … are links to it), so `examples/…` paths resolve and a file a command writes (`-o label.pdf`)
 * is left in a temporary directory. `http://127.0.0.1:8080` in a command is the test server's
 * URL, and the server's URL in an answer reads as `http://127.0.0.1:8080` again. DATABASE_URL
 * names the server's database (on PostgreSQL, its schema), so the command line works on the
 * same data; SWITCHYARD_ADMIN_TOKEN is the server's admin token.
 *
 * On PostgreSQL (DATABASE_URL=postgres://…) the same commands run against a server in a schema of
 * its own, the command line reaching that schema through the URL's search_path.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bodyMismatch, docCommands, globMatches, headingAnchors, relativeLinks, type DocCommand } from '../support/doc-examples.js';
import { skipReason, startServer, type TestServer } from '../support/test-server.js';

const root = new URL('../../', import.meta.url).pathname;
const DOCUMENTED_URL = 'http://127.0.0.1:8080';
const DEMO_KEY = 'switchyard-demo-key';
const ADMIN_TOKEN = 'docs-admin-token';
const COMMAND_TIMEOUT_MS = 30_000;
/** Commands that cannot run in a test (a server that runs until stopped, docker, systemctl …) are few; more means examples that are not checked. */
const MOST_NOT_TESTED = 25;

function docFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk('docs');
  return files;
}

/** DOCS_ONLY=README.md,docs/api/tracking.md runs those files' commands only (while writing them). */
const only = process.env.DOCS_ONLY?.split(',').map((f) => f.trim());
const parsed = docFiles().filter((f) => !only || only.includes(f)).map((file) => ({ file, ...docCommands(readFileSync(join(root, file), 'utf8'), file) }));
const allCommands = parsed.flatMap((p) => p.commands);

interface Outcome {
  rc: number;
  stdout: string;
  stderr: string;
  /** The response headers of the command's last request (curl's --dump-header), '' if it made none. */
  headers: string;
}

/** One bash process per document, so that a variable a command sets is there for the next. */
class Shell {
  private child: ChildProcessWithoutNullStreams;
  private output = '';
  private errors = '';
  private waiting: { n: number; resolve: () => void; reject: (e: Error) => void } | null = null;
  private step = 0;

  constructor(
    private dir: string,
    cwd: string,
    env: NodeJS.ProcessEnv,
  ) {
    // Its own process group, so that closing it stops whatever a command left running.
    this.child = spawn('bash', ['--noprofile', '--norc'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
      const done = /__DOCS_DONE__ (\d+)\n/.exec(this.output);
      if (done && this.waiting && Number(done[1]) === this.waiting.n) {
        this.output = '';
        this.waiting.resolve();
        this.waiting = null;
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.errors += chunk));
    this.child.on('exit', (code) => this.waiting?.reject(new Error(`bash exited (${code}): ${this.errors}`)));
    // Every request's status and headers are kept for the check, whatever options the docs give curl.
    this.child.stdin.write('curl() { command curl --silent --show-error --dump-header "$__docs_headers" "$@"; }\n');
    // node_modules is the repository's own (a link): a command that would reinstall it is refused.
    this.child.stdin.write('npm() { case "$1" in ci|install|i|uninstall|prune|update) echo "the docs test does not run npm $1" >&2; return 97;; esac; command npm "$@"; }\n');
  }

  async run(text: string): Promise<Outcome> {
    const n = ++this.step;
    const file = (kind: string) => join(this.dir, `${kind}.${n}`);
    const script = [
      `__docs_headers=${file('headers')}`,
      ': > "$__docs_headers"',
      '{',
      text,
      `} </dev/null >${file('out')} 2>${file('err')}`,
      `printf '%s\\n' "$?" >${file('rc')}`,
      `printf '__DOCS_DONE__ ${n}\\n'`,
      '',
    ].join('\n');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${COMMAND_TIMEOUT_MS} ms; bash says: ${this.errors}`)), COMMAND_TIMEOUT_MS);
      this.waiting = {
        n,
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.child.stdin.write(script);
    });
    const read = (kind: string) => (existsSync(file(kind)) ? readFileSync(file(kind), 'utf8') : '');
    return { rc: Number(read('rc').trim()), stdout: read('out'), stderr: read('err'), headers: read('headers') };
  }

  close(): void {
    this.child.stdin.end();
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The last response's status line and headers from curl's --dump-header file. */
function lastResponse(dump: string): { status?: number; headers: Map<string, string> } {
  const blocks = dump.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()));
  const headers = new Map<string, string>();
  const last = blocks.at(-1);
  if (!last) return { headers };
  const [statusLine, ...lines] = last.trim().split(/\r?\n/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]), headers };
}

/** The body curl printed, without the headers `curl -i` prints before it. */
function bodyOf(stdout: string): string {
  let body = stdout;
  while (/^HTTP\/[\d.]+ \d{3}/.test(body)) {
    const end = body.search(/\r?\n\r?\n/);
    if (end < 0) return '';
    body = body.slice(end).replace(/^\r?\n\r?\n/, '');
  }
  return body;
}

const short = (text: string) => {
  const first = text.split('\n')[0];
  return first.length > 90 ? `${first.slice(0, 87)}…` : first;
};

function check(command: DocCommand, outcome: Outcome, serverUrl: string): void {
  const where = `${command.file}:${command.line}`;
  const unrewritten = (s: string) => s.replaceAll(serverUrl, DOCUMENTED_URL);
  const stdout = unrewritten(outcome.stdout);
  const response = lastResponse(unrewritten(outcome.headers));
  const context = `${where}\n$ ${command.text}\n--- stdout:\n${stdout.slice(0, 2000)}\n--- stderr:\n${outcome.stderr.slice(0, 2000)}`;
  assert.equal(outcome.rc, 0, `exited ${outcome.rc}\n${context}`);
  const expect = command.expect;
  if (expect?.status !== undefined) {
    assert.equal(response.status, expect.status, `the status under ${where} (line ${expect.line}) is not the server's\n${context}`);
  } else if (response.status !== undefined) {
    assert.ok(response.status >= 200 && response.status < 300, `answered ${response.status}, and the docs write no answer for it\n${context}`);
  }
  for (const { name, value } of expect?.headers ?? []) {
    const actual = response.headers.get(name.toLowerCase());
    assert.ok(actual !== undefined && globMatches(value, actual), `header ${name}: the docs say ${value}, the server ${actual}\n${context}`);
  }
  if (expect?.body !== undefined) {
    const body = response.status !== undefined ? bodyOf(stdout) : stdout;
    const why = bodyMismatch(expect.body, body);
    assert.equal(why, null, `the answer under ${where} (line ${expect.line}) is not the server's: ${why}\n${context}`);
  }
}

describe('Every command in the README and docs', { skip: skipReason }, () => {
  it('reads every example, and keeps the commands left untested few and explained', () => {
    assert.deepEqual(parsed.flatMap((p) => p.errors), []);
    const notTested = allCommands.filter((c) => c.notTested);
    assert.ok(notTested.length <= MOST_NOT_TESTED, `${notTested.length} commands are not tested:\n${notTested.map((c) => `${c.file}:${c.line} ${short(c.text)}`).join('\n')}`);
    if (!only || only.includes('README.md')) assert.ok(allCommands.some((c) => !c.notTested && c.file === 'README.md'), 'the README has commands that are run');
    if (!only) {
      const unused = readdirSync(join(root, 'examples')).filter((f) => !allCommands.some((c) => !c.notTested && c.text.includes(`examples/${f}`)));
      assert.deepEqual(unused, [], 'every file of examples/ is sent by a command of the docs, so that it is checked');
    }
  });

  it('has every relative link of the README and docs name a file that exists, and a heading of it', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      for (const { line, target } of relativeLinks(readFileSync(join(root, file), 'utf8'))) {
        const [path, anchor] = target.split('#');
        const to = path ? normalize(join(dirname(file), path)) : file;
        if (!existsSync(join(root, to))) broken.push(`${file}:${line}: ${target} (no ${to})`);
        else if (anchor && to.endsWith('.md') && !headingAnchors(readFileSync(join(root, to), 'utf8')).has(anchor)) broken.push(`${file}:${line}: ${target} (no heading #${anchor} in ${to})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  before(() => {
    if (allCommands.some((c) => !c.notTested && c.text.includes('dist/main.js'))) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  });

  for (const { file, commands } of parsed) {
    const runnable = commands.filter((c) => !c.notTested);
    if (runnable.length === 0) continue;
    describe(file, () => {
      let server: TestServer;
      let shell: Shell;
      let dir: string;
      before(async () => {
        server = await startServer({
          // Documents rendered in the request's thread: starting render threads for each file's server took seconds.
          env: { SWITCHYARD_DEMO_STORIES: 'true', SWITCHYARD_DEMO_API_KEY: DEMO_KEY, SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN, SWITCHYARD_RENDER_THREADS: '0' },
        });
        dir = mkdtempSync(join(tmpdir(), 'switchyard-docs-'));
        const cwd = join(dir, 'repo');
        mkdirSync(cwd);
        for (const entry of readdirSync(root)) if (entry !== '.git' && entry !== 'data') symlinkSync(join(root, entry), join(cwd, entry));
        const databaseUrl = server.schema ? `${server.databaseUrl}${server.databaseUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${server.schema}` : server.databaseUrl;
        const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN };
        delete env.NODE_TEST_CONTEXT;
        delete env.NODE_OPTIONS;
        shell = new Shell(dir, cwd, env);
      });
      after(async () => {
        shell?.close();
        await server?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });
      for (const command of runnable) {
        it(`${command.file}:${command.line} ${short(command.text)}`, async () => {
          const outcome = await shell.run(command.text.replaceAll(DOCUMENTED_URL, server.url));
          check(command, outcome, server.url);
        });
      }
    });
  }
});
