// Structured JSON logs. Secrets and message text never reach info level: they are redacted by path.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { app: 'notulist' },
    redact: {
      paths: ['*.password', '*.secret', '*.clientSecret', '*.appPassword', '*.authorization', 'req.headers.authorization', '*.text'],
      censor: '[redacted]',
    },
  });
}
