// The yardstick of the benchmarks: a bare botbuilder EchoBot on restify (an ActivityHandler that echoes
// through CloudAdapter, no credentials), served the same Teams-shaped activities through the same local
// Bot Connector. Notulist's figures are reported as ratios of its.
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { AddressInfo } from 'node:net';
import restify from 'restify';

export async function startEchoBot(port = 0): Promise<{ url: string; stop(): Promise<void> }> {
  const auth = new ConfigurationBotFrameworkAuthentication({} as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(`Echo: ${ctx.activity.text ?? ''}`);
    await next();
  });
  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

// As a process of its own (the benchmark runs both bots so): `node echoBot.js <port>`, "ready <url>" on stdout.
if (require.main === module) void startEchoBot(Number(process.argv[2] ?? 0)).then((echo) => process.stdout.write(`ready ${echo.url}\n`));
