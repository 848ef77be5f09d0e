// The real-client test: Notulist driven through the M365 Agents Playground (a Teams-like web client) in
// headless Chromium, fully offline. Skipped when Chromium is not installed.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
/** Screenshots of every step, at the chat's width (the Playground draws cards about 450 px wide at this window). */
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS ?? 'artifacts/playground');

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
    return page.locator('.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)').filter({ hasText: text }).last();
  }

  let step = 0;
  /** A screenshot of the chat as a person sees it, kept as a CI artifact (ARTIFACTS/NN-what.png). */
  async function shoot(what: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${String(++step).padStart(2, '0')}-${what}.png`) });
  }

  /**
   * What a person would see wrong in the cards now on screen: a word broken over two lines or cut off
   * in the agenda, and a card that shows more than six buttons (the rest belong under "Meer").
   */
  async function layoutProblems(): Promise<string[]> {
    return page.evaluate(() => {
      const problems: string[] = [];
      const cards = [...document.querySelectorAll('.ac-adaptiveCard')].filter((c) => !c.parentElement?.closest('.ac-adaptiveCard'));
      for (const c of cards) {
        const visible = [...c.querySelectorAll('button')].filter(
          (b) => (b as HTMLElement).offsetParent !== null && b.closest('.ac-adaptiveCard') === c,
        );
        if (visible.length > 6) problems.push(`${visible.length} buttons: ${visible.map((b) => b.textContent).join(', ')}`);
        if (!/Agenda: /.test(c.textContent ?? '')) continue;
        const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent ?? '';
          const el = n.parentElement!;
          if (el.offsetParent === null) continue;
          if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible') problems.push(`cut off: "${text}"`);
          for (const m of text.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(n, m.index!);
            range.setEnd(n, m.index! + m[0].length);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (lines.size > 1) problems.push(`"${m[0]}" breaks over ${lines.size} lines`);
          }
        }
      }
      return problems;
    });
  }

  async function checkLayout(what: string): Promise<void> {
    await shoot(what);
    assert.deepEqual(await layoutProblems(), [], what);
  }

  it('shows the help card and answers its buttons', async function () {
    await send('help');
    const help = card('Wat u nu kunt doen');
    await help.waitFor({ timeout: 15_000 });
    await checkLayout('help');
    await help.getByRole('button', { name: 'Alle opdrachten' }).click();
    await help.getByText('mededeling: tekst').first().waitFor({ timeout: 5_000 });
    await shoot('help-all-commands');
    log('help card shown');
  });

  it('runs a short meeting by clicking only: plan form, agenda form, start, next, announcement form, decision form, close', async function () {
    // Plan: the help card's form (the chat has no meeting yet).
    const help = card('Wat u nu kunt doen');
    await help.getByRole('button', { name: 'Vergadering plannen' }).click();
    await help.getByLabel('Titel').fill('Stuurgroep E2E');
    await help.getByLabel('Datum').fill('2030-10-10');
    await help.getByLabel('Van', { exact: true }).fill('10:30');
    await help.getByLabel('Tot', { exact: true }).fill('12:00');
    await help.getByLabel(/Locatie/).fill('Stadhuis Enschede');
    await shoot('plan-form');
    await help.getByRole('button', { name: 'Plannen', exact: true }).click();
    const meeting = card(/Vergadering "Stuurgroep E2E" gepland/);
    await meeting.waitFor({ timeout: 15_000 });
    await settle();
    await checkLayout('planned');
    log('planned');

    // The agenda, from the meeting card the click answered with (the secretary's own view; the
    // Playground shows no user-specific views, so the posted card below is the members' one).
    const mine = page
      .locator('.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)')
      .filter({ has: page.getByRole('button', { name: 'Agenda zetten' }) })
      .last();
    await mine.getByRole('button', { name: 'Agenda zetten' }).click();
    await mine.locator('textarea').first().fill('A Opening\nB Mededelingen\nC Begroting 2031 [ter besluitvorming]\nD Sluiting');
    await mine.getByRole('button', { name: 'Vastleggen' }).click();
    await card('Agenda gezet met 4 punten').waitFor({ timeout: 15_000 });
    await settle();
    await checkLayout('agenda-set');
    log('agenda set');

    // Start, on the meeting card: the live item card is posted below.
    await mine.getByRole('button', { name: 'Start', exact: true }).click();
    const first = card(/Agendapunt 1 van 4/);
    await first.getByRole('button', { name: 'Volgende' }).waitFor({ timeout: 15_000 });
    await settle();
    await checkLayout('started');
    log('started');

    // Next, on the item card: it follows the meeting to item B.
    await first.getByRole('button', { name: 'Volgende' }).click();
    const announcements = card(/Agendapunt 2 van 4/);
    await announcements.waitFor({ timeout: 15_000 });
    await settle();
    log('item B');

    // An announcement through the form on the shared agenda card.
    const agenda = card(/Agenda: Stuurgroep E2E/);
    await agenda.getByRole('button', { name: 'Mededeling', exact: true }).click();
    await agenda.locator('textarea').first().fill('De subsidie is toegekend.');
    await agenda.getByRole('button', { name: 'Vastleggen' }).click();
    await card(/Mededeling 1 van .* vastgelegd/).waitFor({ timeout: 15_000 });
    await settle();
    await checkLayout('announcement');
    log('announcement');

    // Next again, then a decision through the item card's form.
    await card(/Agendapunt 2 van 4/)
      .getByRole('button', { name: 'Volgende' })
      .click();
    const item = card(/Agendapunt 3 van 4/);
    await item.getByRole('button', { name: 'Besluit', exact: true }).waitFor({ timeout: 15_000 });
    await settle();
    await card(/Agendapunt 3 van 4/)
      .getByRole('button', { name: 'Besluit', exact: true })
      .click();
    await card(/Agendapunt 3 van 4/)
      .locator('textarea')
      .first()
      .fill('De begroting 2031 wordt vastgesteld.');
    await card(/Agendapunt 3 van 4/)
      .getByRole('button', { name: 'Vastleggen' })
      .last()
      .click();
    // The answer's banner says so; the bot's edit for everyone replaces it soon after, and the card
    // keeps the decision and "Laatst vastgelegd …: besluit 1 (C)".
    const decided = card(/Besluit 1 \(akkoord\): De begroting 2031 wordt vastgesteld\./);
    await decided.waitFor({ timeout: 15_000 });
    await settle();
    await checkLayout('decision');
    log('decision');

    // Close, with the card's confirmation: the answer names the next step.
    const current = card(/Agendapunt 3 van 4/);
    await current.getByRole('button', { name: 'Meer' }).click();
    await current.getByRole('button', { name: 'Sluiten', exact: true }).click();
    await shoot('close-confirmation');
    await current.getByRole('button', { name: 'Ja, sluit de vergadering' }).click();
    const closed = card(/is gesloten/);
    await closed.waitFor({ timeout: 15_000 });
    await closed.getByRole('button', { name: 'Besluitenlijst' }).waitFor({ timeout: 5_000 });
    await settle();
    await checkLayout('closed');
    log('closed');
  });

  it('opens the whole draft from the draft card: "Volledige tekst" shows the page in the browser', async function () {
    await settle();
    // The closed item card names the next step; the draft opens in the secretary's own view.
    await card(/is gesloten/)
      .getByRole('button', { name: 'Besluitenlijst' })
      .click();
    const draft = card('BESLUITENLIJST Stuurgroep E2E');
    await draft.waitFor({ timeout: 15_000 });
    await shoot('draft');
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
    assert.match(text, /Download Openbaar deel \(\.docx\)/);
    assert.doesNotMatch(text, /Download Besloten/i);
    await tab.close();
    log('full draft opened');
  });
});
