// Child process for the durability test: writes document "k" in a tight loop and prints each n to stdout
// only after write() has resolved, so every printed n is a write the store acknowledged. The test kills
// this process with SIGKILL at a random moment. Usage: node storeWriter.js <sqlite file>
import { createHash, randomBytes } from 'node:crypto';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';

export interface WrittenDocument {
  n: number;
  payload: string;
  checksum: string;
}

export function checksumOf(payload: string): string {
  return createHash('sha256').update(payload).digest('hex');
}

async function main(file: string): Promise<void> {
  const store = new SqliteDocumentStore(file);
  // Continue from what survived the previous kill, so n keeps increasing across runs.
  const previous = (await store.read(['k'])).k as Partial<WrittenDocument> | undefined;
  let n = typeof previous?.n === 'number' ? previous.n : 0;
  for (;;) {
    n += 1;
    const payload = randomBytes(3 * 1024).toString('base64');
    await store.write({ k: { n, payload, checksum: checksumOf(payload) } });
    // Printed after the write resolved: a line the kill swallows only makes the test's check weaker.
    process.stdout.write(`${n}\n`);
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: storeWriter.js <sqlite file>\n');
    process.exit(2);
  }
  main(file).catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
