// Preloaded into each bot the bench starts (`node --expose-gc -r heapProbe.js …`): on SIGUSR2, the process's
// rss, then a full collection and the heap still alive, written to HEAP_PROBE_DIR/<pid>.json. What
// is alive after a collection is what a bot holds; the rest of its heap is V8's slack.
// It also counts the process's own collections, forcing none, in HEAP_PROBE_DIR/<pid>.gc.json (written
// when they change, at most every 100 ms): the bench reads it around each round, so a round's p99 can be
// told apart by whether a full collection paused the bot during it.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';

export interface GcCounts {
  /** Scavenges (the young generation) and their pauses, in ms. */
  minor: number;
  minorMs: number;
  /** Each full collection's (mark-compact) pause, in ms, in order. */
  major: number[];
}

const dir = process.env.HEAP_PROBE_DIR;
if (dir) {
  process.on('SIGUSR2', () => {
    // rss as the load left it; the heap after the collection.
    const rss = process.memoryUsage.rss();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ rss, heapUsed: m.heapUsed, external: m.external }));
  });
  const counts: GcCounts = { minor: 0, minorMs: 0, major: [] };
  let changed = true;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        counts.minor++;
        counts.minorMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        counts.major.push(entry.duration);
      } else continue;
      changed = true;
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    if (!changed) return;
    changed = false;
    // Renamed into place: the bench never reads half a file.
    const file = join(dir, `${process.pid}.gc.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(counts));
    renameSync(`${file}.tmp`, file);
  }, 100).unref();
}
