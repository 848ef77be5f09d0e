// A PostgreSQL database for tests: DATABASE_URL_TEST when set, else a throwaway cluster started from the
// installed server binaries (Debian's /usr/lib/postgresql/<version>/bin), else null so the caller skips.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export const POSTGRES_SKIP_MESSAGE =
  'PostgreSQL not installed: the PostgreSQL contract tests are skipped; CI installs it (apt-get install -y postgresql)';

const run = promisify(execFile);
const DATABASE = 'notulist_test';

export async function startPostgres(): Promise<TestPostgres | null> {
  const external = process.env.DATABASE_URL_TEST;
  if (external) return { url: external, stop: () => Promise.resolve() };
  const bin = findServerBinaries();
  if (!bin) return null;

  const dir = mkdtempSync(join(tmpdir(), 'notulist-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  // initdb and postgres refuse to run as root: run them as the postgres system user, who owns the dir.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const pgCommand = (tool: string, args: string[]): Promise<unknown> =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  let started = false;
  const stopSync = (): void => {
    // Last resort when the test process exits without calling stop(): no server or temp dir is left behind.
    if (started) {
      try {
        const args = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
        if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
        else execFileSync(args[0], args.slice(1), { stdio: 'ignore' });
      } catch {
        // already stopped
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  try {
    // Trust authentication is fine: the server listens on loopback and a socket in our private dir only.
    await pgCommand('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-k ${dir}`,
        // Durability is not under test here, speed is.
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        await pgCommand('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '30', 'start']);
        started = true;
      } catch (err) {
        // The port may have been taken between freePort() and the server's bind: try another one.
        if (attempt >= 3) throw err;
      }
    }
    const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
    let stopped = false;
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/${DATABASE}`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await pgCommand('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
          started = false;
        } finally {
          process.removeListener('exit', stopSync);
          stopSync();
        }
      },
    };
  } catch (err) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    process.removeListener('exit', stopSync);
    stopSync();
    throw new Error(`could not start a throwaway PostgreSQL: ${(err as Error).message}\n${serverLog}`);
  }
}

/** The bin directory of the newest installed PostgreSQL server, or null. */
function findServerBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
