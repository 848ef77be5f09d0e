// HTTP: POST /api/messages through botbuilder's CloudAdapter, GET /healthz and /readyz. Nothing else.
import { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import type { Logger } from '../services/log';
import type { NotulistBot } from './notulistBot';

/** Teams' own limit for a message is about 100 KB; a body past this is refused before parsing. */
const MAX_BODY_BYTES = 512 * 1024;

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: NotulistBot;
  log: Logger;
  ready: () => Promise<void>;
}

export interface RunningServer {
  server: restify.Server;
  /** Turns being handled now; shutdown waits for them. */
  inFlight: Set<Promise<unknown>>;
}

export function createServer({ adapter, bot, log, ready }: ServerDeps): RunningServer {
  const server = restify.createServer({ name: 'notulist', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: false }));
  const inFlight = new Set<Promise<unknown>>();

  server.post('/api/messages', async (req, res) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.status(400);
      res.json({ error: { code: 'BadRequest', message: problem } });
      return;
    }
    const turn = adapter.process(req, res, (ctx) => bot.run(ctx));
    inFlight.add(turn);
    try {
      await turn;
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'turn failed');
      if (!res.headersSent) {
        res.status(500);
        res.json({ error: { code: 'InternalError', message: 'The turn failed; nothing was lost.' } });
      }
    } finally {
      inFlight.delete(turn);
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    try {
      await ready();
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503);
      res.json({ status: 'unavailable', error: err instanceof Error ? err.message : String(err) });
    }
  });

  return { server, inFlight };
}

/** A body that is not an activity gets a 400 before it reaches the SDK. */
function activityProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON activity.';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || !a.type) return 'The activity has no type.';
  const conversation = a.conversation as Record<string, unknown> | undefined;
  if (!conversation || typeof conversation.id !== 'string' || !conversation.id) return 'The activity has no conversation id.';
  const from = a.from as Record<string, unknown> | undefined;
  if (!from || typeof from.id !== 'string' || !from.id) return 'The activity has no sender.';
  if (typeof a.serviceUrl !== 'string' || !/^https?:\/\//.test(a.serviceUrl)) return 'The activity has no valid serviceUrl.';
  if (a.text !== undefined && typeof a.text !== 'string') return 'The activity text must be a string.';
  return undefined;
}
