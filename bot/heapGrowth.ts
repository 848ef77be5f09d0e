// V8 lets the old space grow to several times the live heap while a steady stream of turns allocates
// (each parses documents and renders cards, and what is in flight across awaits is promoted): under the
// bench's load 410 MB of old space held 100 MB that was alive, 5× the EchoBot's rss. The bot's data sits
// in caches of a bounded size, so the heap may grow by half of what is alive before a full collection:
// rss 545 → 264 MB under the same load, turns/s unchanged (README, Benchmarks). The flag is read at every
// collection, so setting it at start-up is enough.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=50');
