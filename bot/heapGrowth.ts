// V8 lets the old space grow to several times the live heap while a steady stream of turns allocates
// (each parses documents and renders cards, and what is in flight across awaits is promoted): under the
// bench's load 410 MB of old space held 100 MB that was alive, rss 5× the EchoBot's. The bot's data sits
// in caches of a bounded size, so the heap may grow to twice what is alive before a full collection:
// rss 507 → 326 MB under that load, turns/s within the runs' noise. By half (50) it was 275 MB, but the
// collections cost a fifth of the turns/s at 20 connections. The flag is read at every collection, so
// setting it at start-up is enough.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=100');
