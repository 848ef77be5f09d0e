// How far V8 lets the old space grow beyond what is alive before a full collection. The bot's data sits in
// caches of a bounded size, so the heap's growth is a choice between memory and the answers' tail: each full
// collection pauses the bot 11–14 ms and, on a 2-core machine whose other core its concurrent marking takes,
// holds five to eight answers back 20–60 ms. At 100 turns/s that was the whole p99 (bench, all rounds
// together): growing to twice what is alive (100) it came every 8 s or so, p99 2.6–3.2× the EchoBot's;
// growing to four times (300) it comes a third as often, p99 0.9–1.7×, turns/s alike. rss under that load
// 291–300 MB (a third under the goal of twice the EchoBot's plus the data held), 580–630 MB after the bench's
// saturating loads (105–109 MB alive). V8's default grew 410 MB of old space around 100 MB alive. The flag is
// read at every collection, so setting it at start-up is enough.
//
// The young generation is the other half, and V8 sizes it when the process starts, so it is set where the
// process is started: package.json's start script (`--max-semi-space-size=4`, MB), which the tests' and the
// bench's child bots copy. A smaller one scavenges more often for shorter pauses, so a p99 of 500 turns no
// longer holds a long one (figures: the README's benchmarks).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=300');
