// The benchmark's Bot Connector in a process of its own. In the benchmark's process it shared one event loop
// with the load and its clocks: Notulist's card edits (two connector calls beside each reply) kept that loop
// busier while Notulist was measured than the EchoBot's replies did while the EchoBot was, and its stalls
// were counted in Notulist's times. Here the connector answers on its own, and reports each call it recorded
// to the benchmark (its op, the activity it answers, and when, on the clock both processes share), without
// the activities' bodies. `RemoteConnector` is the benchmark's side.
import { ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Connector, ConnectorEntry, ConnectorMember } from '../support/connector';

/** One recorded call, as the benchmark hears of it: `at` is epoch milliseconds (performance.timeOrigin + now). */
export type ConnectorCall = Omit<ConnectorEntry, 'activity'> & { at: number };

/** The connector child as the benchmark's load sees it: its URL, and the calls it recorded so far. */
export class RemoteConnector {
  readonly log: ConnectorCall[] = [];
  private seq = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (m: { calls?: ConnectorCall[] }) => {
      for (const call of m.calls ?? []) this.log.push(call);
    });
  }

  static async start(members: ConnectorMember[]): Promise<RemoteConnector> {
    const child = fork(__filename, ['child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { url?: string }) => (m.url ? resolve(m.url) : reject(new Error('connector child: no URL'))));
      child.once('exit', (code) => reject(new Error(`connector child exited (${code})`)));
      child.send({ members });
    });
    return new RemoteConnector(child, url);
  }

  /** For the clients' invokes (they order cards in time; the load reads none). */
  nextSeq(): number {
    return ++this.seq;
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/** In the child: a Connector keeping no bodies, its calls sent to the parent in batches every few milliseconds. */
async function child(): Promise<void> {
  const { members } = await new Promise<{ members: ConnectorMember[] }>((resolve) => process.once('message', resolve));
  const connector = await Connector.start(members);
  let batch: ConnectorCall[] = [];
  let timer: NodeJS.Timeout | undefined;
  connector.log.push = (...entries: ConnectorEntry[]) => {
    const at = performance.timeOrigin + performance.now();
    for (const { activity: _body, ...call } of entries) batch.push({ ...call, at });
    timer ??= setTimeout(() => {
      timer = undefined;
      process.send!({ calls: batch });
      batch = [];
    }, 5);
    return 0;
  };
  process.send!({ url: connector.url });
  process.once('SIGTERM', () => void connector.stop().then(() => process.exit(0)));
}

if (require.main === module && process.argv[2] === 'child') void child();
