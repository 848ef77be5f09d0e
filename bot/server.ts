// HTTP: POST /api/messages through botbuilder's CloudAdapter, GET /healthz and /readyz, and the full
// draft minutes behind the signed links on the draft card (GET /minutes/draft/…). Nothing else.
//
// The messages handler never throws and never answers with internal text: a body that is not an
// activity is 400, a request that is not authenticated 401 (one log line each), a token that cannot be
// checked now (OpenID metadata unreachable) 503, a turn that failed 500. Once shutdown begins, requests
// that were received but not yet started are answered 503 with Retry-After; turns in flight finish.
import restify from 'restify';
import type { Logger } from '../services/log';
import type { DraftResponse } from '../services/minutes/minutesService';
import { prepareActivity } from './activityInput';
import { authFailure, AuthenticateRequestResult, NotulistAdapter } from './adapter';
import type { NotulistBot } from './notulistBot';

/** Teams' own limit for a message is about 100 KB; a body past this is refused before parsing. */
const MAX_BODY_BYTES = 512 * 1024;
/** Seconds a client is asked to wait: while the bot restarts, or while the token keys are unreachable. */
const RETRY_AFTER_SECONDS = 5;

export interface ServerDeps {
  adapter: NotulistAdapter;
  bot: NotulistBot;
  log: Logger;
  ready: () => Promise<void>;
  drafts: { openDraft(token: string, file: string | undefined, locale?: string): Promise<DraftResponse> };
}

export interface RunningServer {
  server: restify.Server;
  /** Turns being handled now; shutdown waits for them. */
  inFlight: Set<Promise<unknown>>;
  /** From now on every request (but /healthz) is answered 503 with Retry-After; nothing new starts. */
  beginShutdown(): void;
  /** Resolves once every request received so far has been answered (or after `timeoutMs`). */
  answered(timeoutMs: number): Promise<void>;
}

export function createServer({ adapter, bot, log, ready, drafts }: ServerDeps): RunningServer {
  // Draft-link tokens name a tenant, a chat and a meeting: longer than the router's default 100 characters.
  const server = restify.createServer({ name: 'notulist', handleUncaughtExceptions: false, maxParamLength: 2048 });
  const inFlight = new Set<Promise<unknown>>();
  // Every request from its headers on, until its answer is written or its connection gone.
  const open = new Set<restify.Response>();
  let stopping = false;
  let idle: (() => void) | undefined;

  server.pre((_req, res, next) => {
    open.add(res);
    const done = () => {
      open.delete(res);
      if (!open.size) idle?.();
    };
    res.once('finish', done);
    res.once('close', done);
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: false }));
  server.use((req, res, next) => {
    if (!stopping || req.getPath() === '/healthz') return next();
    res.header('Retry-After', String(RETRY_AFTER_SECONDS));
    res.header('Connection', 'close');
    res.status(503);
    res.json({ error: { code: 'ServiceUnavailable', message: 'The bot is restarting; try again shortly.' } });
    return next(false);
  });

  server.post('/api/messages', async (req, res) => {
    try {
      await handleMessage(req, res);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'request failed');
      if (!res.headersSent) {
        res.status(500);
        res.json({ error: { code: 'InternalError', message: 'The request could not be handled.' } });
      }
    }
  });

  const handleMessage = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.status(400);
      res.json({ error: { code: 'BadRequest', message: problem } });
      return;
    }
    const activity = prepareActivity(req.body as Record<string, unknown>);
    let auth: AuthenticateRequestResult;
    try {
      auth = await adapter.authenticate(activity, String(req.header('authorization') ?? ''));
    } catch (err) {
      const { status, reason } = authFailure(err);
      if (status === 401) {
        log.warn({ reason, ip: req.socket?.remoteAddress }, 'request refused: not authenticated');
        res.header('WWW-Authenticate', 'Bearer');
        res.status(401);
        res.json({ error: { code: 'Unauthorized', message: 'The request is not authenticated.' } });
      } else if (status === 503) {
        log.error({ reason }, 'cannot check tokens now: OpenID metadata unavailable');
        res.header('Retry-After', String(RETRY_AFTER_SECONDS));
        res.status(503);
        res.json({ error: { code: 'ServiceUnavailable', message: 'The request cannot be authenticated now; try again shortly.' } });
      } else {
        log.error({ reason }, 'authentication failed unexpectedly');
        res.status(500);
        res.json({ error: { code: 'InternalError', message: 'The request could not be handled.' } });
      }
      return;
    }
    const turn = adapter.run(auth, activity, (ctx) => bot.run(ctx));
    inFlight.add(turn);
    try {
      const invoke = await turn;
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined && invoke.body !== null) res.json(invoke.body);
      else res.end();
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err), activityType: activity.type }, 'turn failed');
      if (!res.headersSent) {
        res.status(500);
        res.json({ error: { code: 'InternalError', message: 'The turn failed; nothing was lost.' } });
      }
    } finally {
      inFlight.delete(turn);
    }
  };

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

  const serveDraft = async (req: restify.Request, res: restify.Response) => {
    const params = req.params as { token?: string; file?: string };
    // Tracked like a turn: shutdown waits for it before the store closes.
    const opening = drafts.openDraft(String(params.token ?? ''), params.file, req.header('accept-language'));
    inFlight.add(opening);
    try {
      const answer = await opening;
      // The draft may hold the closed part: never cached, never indexed, no referrer, no script.
      res.header('Cache-Control', 'no-store');
      res.header('Referrer-Policy', 'no-referrer');
      res.header('X-Robots-Tag', 'noindex, nofollow');
      res.header('X-Content-Type-Options', 'nosniff');
      res.header(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      res.header('Content-Type', answer.contentType);
      if (answer.fileName)
        res.header(
          'Content-Disposition',
          `attachment; filename="${asciiFileName(answer.fileName)}"; filename*=UTF-8''${encodeURIComponent(answer.fileName)}`,
        );
      res.sendRaw(answer.status, answer.body);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'draft link failed');
      res.status(500);
      res.json({ error: { code: 'InternalError', message: 'The draft could not be shown.' } });
    } finally {
      inFlight.delete(opening);
    }
  };
  server.get('/minutes/draft/:token', serveDraft);
  server.get('/minutes/draft/:token/:file', serveDraft);

  return {
    server,
    inFlight,
    beginShutdown() {
      stopping = true;
    },
    async answered(timeoutMs) {
      if (!open.size) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        idle = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      idle = undefined;
    },
  };
}

/** The plain-ASCII fallback name for browsers that ignore filename*. */
function asciiFileName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\]/g, '_');
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
