// `npm run playground`: Notulist plus the M365 Agents Playground (a local Teams-like web client) pointed
// at it, fully offline. Prints the URL to open; Ctrl-C stops both. The Playground's mock users and chats
// come from .m365agentsplayground.yml at the repo root (the current user is the secretary).
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../services/config';
import { startNotulist } from './index';

const ROOT = path.resolve(__dirname, existsSync(path.resolve(__dirname, '../../package.json')) ? '../..' : '..');
export const DEFAULT_PLAYGROUND_CONFIG = path.join(ROOT, '.m365agentsplayground.yml');

export interface PlaygroundOptions {
  /** The bot's base URL (http://127.0.0.1:PORT); `/api/messages` is appended. */
  botUrl: string;
  /** The UI port to ask for; a busy port makes the Playground pick another (the actual one is returned). */
  port?: number;
  configPath?: string;
  /** How long to wait for "Listening on N". */
  timeoutMs?: number;
  /** Called with every output line of the Playground (for debugging). */
  onOutput?: (line: string) => void;
}

export interface Playground {
  url: string;
  port: number;
  process: ChildProcess;
  /** Kills the Playground's process group and removes its working folder. */
  stop(): Promise<void>;
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js', { paths: [ROOT] });
  const configPath = path.resolve(opts.configPath ?? process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH ?? DEFAULT_PLAYGROUND_CONFIG);
  // The Playground writes ./devTools/ (log, recordings): keep that out of the repo.
  const workDir = mkdtempSync(path.join(tmpdir(), 'notulist-playground-'));
  const child = spawn(
    process.execPath,
    [
      cli,
      '--app-endpoint',
      `${opts.botUrl.replace(/\/+$/, '')}/api/messages`,
      '--channel-id',
      'msteams',
      '--port',
      String(opts.port ?? 56150),
      '--disable-telemetry',
    ],
    {
      cwd: workDir,
      detached: true, // own process group, so stop() can kill the whole tree
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, 'playground.log'),
      },
    },
  );

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async (): Promise<void> => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killed = await Promise.race([exitedPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
      if (!killed) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 1000))]);
      }
    }
    rmSync(workDir, { recursive: true, force: true });
  };

  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`the Playground did not start within ${opts.timeoutMs ?? 30000} ms:\n${output}`)),
      opts.timeoutMs ?? 30000,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split(/\r?\n/)) if (line.trim()) opts.onOutput?.(line);
      const m = /Listening on (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`the Playground exited (${signal ?? code}) before listening:\n${output}`)));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  return { url: `http://localhost:${port}`, port, process: child, stop };
}

async function main(): Promise<void> {
  const env = { ...process.env };
  env.PORT ??= '3978';
  env.LOG_LEVEL ??= 'info';
  const config = loadConfig(env);
  if (!config.localMode)
    process.stderr.write('Note: MicrosoftAppId is set, but the Playground sends no tokens; unset it to use the Playground.\n');
  const bot = await startNotulist(config);
  const playground = await startPlayground({
    botUrl: bot.url,
    port: process.env.PLAYGROUND_PORT ? Number(process.env.PLAYGROUND_PORT) : undefined,
    onOutput: (line) => {
      if (/error/i.test(line)) process.stderr.write(`[playground] ${line}\n`);
    },
  });
  process.stdout.write(
    `\nNotulist is listening on ${bot.url}/api/messages\nM365 Agents Playground: open ${playground.url} in a browser ` +
      `(open "Group Chat" and type "help"). Ctrl-C stops both.\n\n`,
  );
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await playground.stop();
    await bot.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
  playground.process.once('exit', () => {
    if (!stopping) {
      process.stderr.write('The Playground stopped; stopping Notulist.\n');
      void shutdown();
    }
  });
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`Playground could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
