// The embedded store survives kill -9 at any moment: a child process writes one document in a tight loop
// and is killed mid-write; the reopened store must hold a whole document (its checksum matches) that is
// at least as new as the last write the child saw acknowledged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { checksumOf, WrittenDocument } from '../support/storeWriter';

const WRITER = join(__dirname, '..', 'support', 'storeWriter.js');

interface KilledRun {
  lastAcknowledged: number;
  stderr: string;
}

/** Runs the writer until it has acknowledged a first write, then kills it with SIGKILL after delayMs. */
function runAndKill(file: string, delayMs: number): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastAcknowledged = 0;
    let pending = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    // Not started before the first acknowledged write: the kill should land in the write loop, not in
    // Node's start-up, whose duration varies more than the window.
    const startTimer = (): void => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) lastAcknowledged = Number(line);
      if (lines.length > 0) startTimer();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close' comes after stdout is drained, so every line the child got out is counted.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(failsafe);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ lastAcknowledged, stderr });
    });
  });
}

describe('SqliteDocumentStore durability', function () {
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'notulist-durability-'));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write, whole, when the writer is killed with SIGKILL (5 times)', async function () {
    this.timeout(15_000);
    const file = join(dir, 'store.db');
    let previous = 0;
    for (let round = 1; round <= 5; round++) {
      const delayMs = 100 + Math.floor(Math.random() * 500);
      const { lastAcknowledged } = await runAndKill(file, delayMs);
      assert.ok(lastAcknowledged > previous, `round ${round}: the writer made progress (${lastAcknowledged})`);

      // The file itself is sound after the crash (WAL recovery happens on open).
      const db = new Database(file, { readonly: false });
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      db.close();

      const store = new SqliteDocumentStore(file);
      try {
        const doc = (await store.read(['k'])).k as (Partial<WrittenDocument> & { eTag?: string }) | undefined;
        assert.ok(doc, `round ${round}: the document exists`);
        assert.equal(typeof doc.payload, 'string');
        assert.equal(doc.checksum, checksumOf(doc.payload ?? ''), `round ${round}: the document is whole`);
        assert.equal(typeof doc.n, 'number');
        const n = doc.n ?? 0;
        assert.ok(n >= lastAcknowledged, `round ${round} (killed after ${delayMs} ms): stored n ${n} < acknowledged ${lastAcknowledged}`);
        // At most the one write in flight at the kill can be there without having been reported.
        assert.ok(n <= lastAcknowledged + 1, `round ${round}: stored n ${n} > acknowledged ${lastAcknowledged} + 1`);
        previous = n;
      } finally {
        await store.close();
      }
    }
  });
});
