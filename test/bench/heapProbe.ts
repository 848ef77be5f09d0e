// Preloaded into each bot the bench starts (`node --expose-gc -r heapProbe.js …`): on SIGUSR2, the process's
// rss, then a full collection and the heap still alive, written to HEAP_PROBE_DIR/<pid>.json. What
// is alive after a collection is what a bot holds; the rest of its heap is V8's slack.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.HEAP_PROBE_DIR;
if (dir)
  process.on('SIGUSR2', () => {
    // rss as the load left it; the heap after the collection.
    const rss = process.memoryUsage.rss();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ rss, heapUsed: m.heapUsed, external: m.external }));
  });
