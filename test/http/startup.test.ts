// Start-up errors of the real entry point (node dist/bot/index.js, as `npm start` runs it): each is one line
// on stderr naming the variable and what it expects, no stack trace, and a non-zero exit code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT_ENTRY, freePort } from '../support/childBot';

interface Exit {
  code: number | null;
  /** stderr without Node's deprecation warnings (restify 11 triggers two DEP0111 at load, harmless). */
  lines: string[];
  stdout: string;
}

/** Runs the entry point with exactly this environment (plus PATH/HOME) in an empty directory (no .env). */
async function start(cwd: string, env: Record<string, string>, timeoutMs = 20_000): Promise<Exit> {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  const child = spawn(process.execPath, ['--enable-source-maps', BOT_ENTRY], {
    cwd,
    env: { ...base, DATA_DIR: join(cwd, 'data'), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const lines = stderr
    .split('\n')
    .filter((l) => l.trim())
    .filter((l) => !/\[DEP\d+\] DeprecationWarning|--trace-deprecation/.test(l));
  return { code, lines, stdout };
}

function oneLine(exit: Exit, pattern: RegExp, what: string): void {
  assert.notEqual(exit.code, 0, `${what}: exit code ${exit.code}`);
  assert.notEqual(exit.code, null, `${what}: still running or killed`);
  assert.equal(exit.lines.length, 1, `${what}: one line on stderr, got:\n${exit.lines.join('\n')}`);
  assert.match(exit.lines[0]!, pattern, what);
  assert.doesNotMatch(exit.lines[0]!, /^\s+at |Error:|node:internal/, `${what}: no stack trace`);
}

describe('start-up errors of node dist/bot/index.js', function () {
  this.timeout(60000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-startup-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('HOST that does not resolve names HOST', async () => {
    oneLine(
      await start(dir, { HOST: 'notahost', PORT: String(await freePort()) }),
      /^Configuration: HOST must be .*"notahost"/,
      'notahost',
    );
  });

  it('HOST that is not an address of this machine names HOST', async () => {
    oneLine(
      await start(dir, { HOST: '192.0.2.1', PORT: String(await freePort()) }),
      /^Configuration: HOST must be .*"192\.0\.2\.1"/,
      '192.0.2.1',
    );
  });

  it('a busy port names PORT', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      oneLine(
        await start(dir, { HOST: '127.0.0.1', PORT: String(port) }),
        new RegExp(`^Configuration: PORT must be a free port \\(${port} is in use on 127\\.0\\.0\\.1\\)$`),
        'busy port',
      );
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('PORT that is not a number says what a port is', async () => {
    oneLine(
      await start(dir, { PORT: 'abc' }),
      /^Configuration: PORT must be a port number 0-65535 \(0: any free port\) \(got "abc"\)$/,
      'abc',
    );
    oneLine(await start(dir, { PORT: '3.5' }), /^Configuration: PORT must be a port number/, '3.5');
  });

  it('an unreachable database names DATABASE_URL, never its password', async () => {
    const port = await freePort();
    const exit = await start(dir, {
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://notulist:s3cr3t-pw@127.0.0.1:${port}/notulist`,
    });
    oneLine(exit, /^Configuration: DATABASE_URL must name a PostgreSQL server .*ECONNREFUSED/, 'refused');
    assert.ok(!exit.lines[0]!.includes('s3cr3t-pw'), exit.lines[0]);
  });

  it('MINUTES_PDF=1 where LibreOffice is not installed (no soffice on PATH) names MINUTES_PDF', async () => {
    const noSoffice = join(dir, 'no-soffice');
    await mkdir(noSoffice, { recursive: true });
    oneLine(
      await start(dir, { PORT: String(await freePort()), MINUTES_PDF: '1', PATH: noSoffice }),
      /^Configuration: MINUTES_PDF must be 0 where LibreOffice is not installed \(got "1", and soffice is not on PATH\)$/,
      'MINUTES_PDF',
    );
  });

  it('a data directory that cannot be made names DATA_DIR', async () => {
    // Under a plain file: no directory can be made there.
    await writeFile(join(dir, 'a-file'), 'x');
    oneLine(
      await start(dir, { PORT: String(await freePort()), DATA_DIR: join(dir, 'a-file', 'data') }),
      /^Configuration: DATA_DIR must be a writable directory/,
      'DATA_DIR',
    );
  });
});

// A process manager (or a test harness) stops `npm start` by signalling npm. npm passes SIGTERM on to its
// child; without `exec` in the script that child is the shell, and the bot lived on, holding the port, so
// the next start failed on "PORT in use" while the old bot answered with another data directory. A SIGKILL
// reaches npm alone: the bot notices its parent is gone.
describe('npm start', function () {
  this.timeout(60000);

  for (const signal of ['SIGTERM', 'SIGKILL'] as const)
    it(`stops the bot when npm itself gets ${signal}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'notulist-npmstart-'));
      const port = await freePort();
      const npm = spawn('npm', ['start', '--silent'], {
        cwd: join(BOT_ENTRY, '../../..'),
        env: { ...process.env, PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      try {
        await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true);
        npm.kill(signal);
        await until(() => portFree(port));
      } finally {
        npm.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
      }
    });
});

async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}
