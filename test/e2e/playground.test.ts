// The real-client test: Notulist driven through the M365 Agents Playground (a Teams-like web client) in
// headless Chromium, fully offline. Skipped when Chromium is not installed.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, Browser, Locator, Page } from 'playwright-core';
import { startNotulist, Notulist } from '../../bot/index';
import { Playground, startPlayground } from '../../bot/playground';
import { loadConfig } from '../../services/config';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const SKIP_MESSAGE = "Chromium not installed: the real-client test is skipped (CI installs Debian's chromium)";
const LOCALE = 'nl-NL';
const EDITOR = '[data-lexical-editor="true"][role="textbox"]';

/**
 * The Playground stamps every activity with locale "en-US" (hard-coded in its server). A Dutch Teams
 * client sends "nl-NL"; this pass-through between the Playground and the bot sets that locale, and
 * changes nothing else (the bot's replies go to the Playground's connector directly).
 */
async function localeProxy(target: string, locale: string): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      try {
        const activity = JSON.parse(body.toString('utf8')) as { locale?: string; entities?: { type?: string; locale?: string }[] };
        activity.locale = locale;
        if (process.env.E2E_VERBOSE && (activity as { type?: string }).type === 'invoke')
          process.stdout.write(`      invoke value: ${JSON.stringify((activity as { value?: unknown }).value)}\n`);
        for (const e of activity.entities ?? []) if (e.type === 'clientInfo') e.locale = locale;
        body = Buffer.from(JSON.stringify(activity));
      } catch {
        /* not JSON: forward as is */
      }
      const headers = { ...req.headers, host: to.host, 'content-length': String(body.length) };
      const out = http.request({ hostname: to.hostname, port: to.port, path: req.url, method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.writeHead(502).end());
      out.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('e2e: Notulist in the M365 Agents Playground (real client)', function () {
  this.timeout(90_000);
  let dir: string | undefined;
  let bot: Notulist | undefined;
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  let proxy: { url: string; close(): Promise<void> } | undefined;
  let page: Page;
  const t0 = Date.now();
  const log = (what: string) => {
    if (process.env.E2E_VERBOSE) process.stdout.write(`      [${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}\n`);
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      process.stdout.write(`      ${SKIP_MESSAGE} (looked for ${CHROMIUM})\n`);
      this.skip();
    }
    dir = mkdtempSync(path.join(tmpdir(), 'notulist-e2e-'));
    // PORT '0' is refused by loadConfig (1-65535), so take a valid config and ask the OS for a free port.
    const config = {
      ...loadConfig({ PORT: '3978', DATA_DIR: path.join(dir, 'data'), MINUTES_DIR: path.join(dir, 'minutes'), LOG_LEVEL: 'silent' }),
      port: 0,
    };
    bot = await startNotulist(config);
    log(`bot on ${bot.url}`);
    proxy = await localeProxy(bot.url, LOCALE);
    playground = await startPlayground({ botUrl: proxy.url, port: 56200 + Math.floor(Math.random() * 500) });
    log(`playground on ${playground.url}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Offline: the UI asks for Office CDN fonts and an animation script; it works without them.
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.protocol === 'data:' || u.protocol === 'blob:' || LOCAL_HOSTS.has(u.hostname)) return route.continue();
      log(`blocked ${u.origin}`);
      return route.abort();
    });
    await page.goto(playground.url);
    await page.getByText('Connected.', { exact: false }).first().waitFor({ timeout: 30_000 });
    log('connected');
    await page.getByRole('treeitem', { name: 'Group Chat' }).click();
    log('group chat open');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const file = path.join(tmpdir(), `notulist-playground-${Date.now()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      process.stdout.write(`      screenshot: ${file}\n`);
    }
  });

  after(async function () {
    this.timeout(20_000);
    await browser?.close().catch(() => undefined);
    await playground?.stop().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await bot?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Sends a message to the bot the way a person does in a Teams group chat: "@" + the bot's name picked
   * from the mention menu (the Playground, like Teams, delivers group chat messages to the bot only when
   * it is @mentioned), then the text, then the Send button.
   *
   * Multi-line text: the Playground builds the message text of a message with a mention from the editor's
   * text nodes only, so the line breaks of Shift+Enter (Lexical line-break nodes) vanish, and a typed or
   * pasted "\n" after a mention is dropped. So the lines go into the editor's text node with their "\n"
   * through Lexical's own editor state (the mention node the menu made stays as it is); sending is still
   * the Playground's Send button and its own message serialiser.
   */
  async function send(...lines: string[]): Promise<void> {
    const editor = page.locator(EDITOR);
    await editor.click();
    await page.keyboard.type('@Notu');
    await page
      .getByRole('menuitem', { name: /Notulist/ })
      .first()
      .click();
    if (lines.length === 1) {
      await page.keyboard.type(` ${lines[0]}`);
    } else {
      await page.evaluate((text) => {
        type Node = { type: string; text?: string; children?: Node[] };
        type LexicalEditor = {
          getEditorState(): { toJSON(): { root: Node } };
          parseEditorState(json: string): unknown;
          setEditorState(state: unknown): void;
        };
        const root = document.querySelector('[data-lexical-editor="true"]') as unknown as { __lexicalEditor: LexicalEditor };
        const lexical = root.__lexicalEditor;
        const state = lexical.getEditorState().toJSON();
        const paragraph = state.root.children![0]!;
        const mention = paragraph.children!.find((n) => n.type.endsWith('/mention'))!;
        paragraph.children = [
          mention,
          { type: 'text', text: ` ${text}`, detail: 0, format: 0, mode: 'normal', style: '', version: 1 } as Node,
        ];
        lexical.setEditorState(lexical.parseEditorState(JSON.stringify(state)));
      }, lines.join('\n'));
    }
    await page.locator('button[aria-label="Send Message"]').click();
    log(`sent ${JSON.stringify(lines.join('\n'))}`);
  }

  /**
   * Lets the bot's live-card edits land: after a click the bot also edits its cards for everyone (a
   * message update), and the Playground re-renders an edited card, closing any open form on it.
   */
  async function settle(): Promise<void> {
    await page.waitForTimeout(300); // the bot schedules its edits after an untracked store read
    await bot!.liveCards.drain();
    await page.waitForTimeout(300);
  }

  /** The newest top-level card containing the text. */
  function card(text: string | RegExp): Locator {
    return page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
  }

  it('shows the help card and answers its buttons', async function () {
    await send('help');
    const help = card('Wat kun je doen');
    await help.waitFor({ timeout: 15_000 });
    log('help card shown');
    await help.getByRole('button', { name: 'Agenda' }).click();
    // No meeting yet: the answer says so and points at `vergadering`.
    await page.getByText('Er is nog geen vergadering').first().waitFor({ timeout: 15_000 });
    log('agenda answer shown');
  });

  it('runs a short meeting by clicking: agenda form, start, next, decision form', async function () {
    await send('vergadering', 'titel: Stuurgroep E2E', 'datum: 10-10-2030', 'tijd: 10:30-12:00');
    const meeting = card('Stuurgroep E2E');
    await meeting.waitFor({ timeout: 15_000 });
    await settle();
    log('meeting card shown');

    await meeting.getByRole('button', { name: 'Agenda zetten' }).click();
    const agendaInput = meeting.locator('textarea').first();
    await agendaInput.waitFor({ timeout: 5_000 });
    await agendaInput.fill('A Opening\nB Begroting 2031 [ter besluitvorming]\nC Sluiting');
    await meeting.getByRole('button', { name: 'Vastleggen' }).click();
    // The answer replaces the meeting card in place (Action.Execute), with a banner.
    await card('Agenda vastgesteld met 3 punten').waitFor({ timeout: 15_000 });
    log('agenda set');

    await card('Stuurgroep E2E').getByRole('button', { name: 'Start', exact: true }).last().click();
    // "Start" answers with the item card in place of the meeting card, and posts the agenda card.
    const first = card('Agendapunt 1/3');
    await first.getByRole('button', { name: 'Volgende' }).waitFor({ timeout: 15_000 });
    log('started: item card A');

    await first.getByRole('button', { name: 'Volgende' }).click();
    const item = card('Agendapunt 2/3');
    await item.getByRole('button', { name: 'Besluit' }).waitFor({ timeout: 15_000 });
    assert.match(await item.innerText(), /Begroting 2031/);
    await settle();
    log('item card B');

    await item.getByRole('button', { name: 'Besluit' }).click();
    await item.locator('textarea').first().fill('De begroting 2031 wordt vastgesteld.');
    await item.getByRole('button', { name: 'Vastleggen' }).last().click();
    // The answer replaces the item card: a banner, and the decision listed on the item.
    const decided = card(/Besluit \S+ bij agendapunt B vastgelegd/);
    await decided.waitFor({ timeout: 15_000 });
    const text = await decided.innerText();
    assert.match(text, /Agendapunt 2\/3/);
    assert.match(text, /De begroting 2031 wordt vastgesteld\./);
    assert.doesNotMatch(text, /Nog niets vastgelegd/);
    log('decision shown on the card');
  });

  it('opens the whole draft from the draft card: "Volledige tekst" shows the page in the browser', async function () {
    await settle();
    await send('besluitenlijst');
    const draft = card('BESLUITENLIJST Stuurgroep E2E');
    await draft.waitFor({ timeout: 15_000 });
    // The Adaptive Cards renderer gives Action.OpenUrl the role "link"; Teams opens it in the browser.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page', { timeout: 15_000 }),
      draft.getByRole('link', { name: 'Volledige tekst' }).click(),
    ]);
    await tab.waitForLoadState('domcontentloaded');
    // A public link: one encrypted token (no readable payload, no signature part).
    assert.match(tab.url(), /\/minutes\/draft\/[\w-]+$/);
    const text = await tab.locator('body').innerText();
    assert.match(text, /BESLUITENLIJST Stuurgroep E2E/);
    assert.match(text, /De begroting 2031 wordt vastgesteld\./);
    assert.match(text, /Download openbaar \(\.docx\)/);
    assert.doesNotMatch(text, /Download besloten/);
    await tab.close();
    log('full draft opened');
  });
});
