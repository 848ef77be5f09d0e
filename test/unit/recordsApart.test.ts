// The records of a meeting are stored beside the series in chunks: a turn writes what it changed (the
// chunk it added to or corrected, and the small series document), on SQLite and PostgreSQL alike, and
// every reader (another instance too) sees the series whole.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correctRecord } from '../../services/meeting/corrections';
import * as ops from '../../services/meeting/operations';
import { MeetingService } from '../../services/meeting/service';
import { CHUNK } from '../../services/meeting/storedRecords';
import type { AgendaItem, Series } from '../../services/meeting/types';
import type { DocumentStore, ReadOptions, StoreItem } from '../../services/store/documentStore';
import { PostgresDocumentStore } from '../../services/store/postgresStore';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { POSTGRES_SKIP_MESSAGE, startPostgres } from '../support/postgres';
import { SECRETARY } from '../support/seedMeeting';

const T = 'tenant-1';

/** What each locked update of the store wrote (keys and characters), and which parts each read asked for beside the series. */
class WriteLog {
  entries: { keys: string[]; chars: number }[] = [];
  asked: string[][] = [];

  wrap(store: DocumentStore): DocumentStore {
    const logged = (options?: ReadOptions): ReadOptions | undefined => {
      const more = options?.more;
      if (!more) return options;
      return {
        ...options,
        more: (items) => {
          const out = more(items);
          this.asked.push(out.keys);
          return out;
        },
      };
    };
    const update: DocumentStore['update'] = (keys, change, options) =>
      store.update(
        keys,
        (items) => {
          const out = change(items);
          this.entries.push({ keys: Object.keys(out.changes), chars: JSON.stringify(out.changes).length });
          return out;
        },
        logged(options),
      );
    const read: DocumentStore['read'] = (keys, options) => store.read(keys, logged(options));
    return Object.assign(Object.create(store) as DocumentStore, { update, read });
  }

  get last(): { keys: string[]; chars: number } {
    return this.entries.at(-1)!;
  }
}

const member = (i: number) => ({ id: `29:lid-${i}`, name: `Lid ${i}` });

function recordsApart(
  name: string,
  open: () => Promise<{ store: DocumentStore; again: () => Promise<DocumentStore>; stop(): Promise<void> } | null>,
): void {
  describe(`records stored apart, in chunks (${name})`, function () {
    let harness: Awaited<ReturnType<typeof open>>;
    let log: WriteLog;
    let meetings: MeetingService;
    let chat: string;
    let n = 0;

    before(async function () {
      this.timeout(60_000);
      harness = await open();
      if (!harness) this.skip();
    });
    after(async () => harness?.stop());
    beforeEach(async function () {
      if (!harness) this.skip();
      log = new WriteLog();
      meetings = new MeetingService(log.wrap(harness.store));
      chat = `19:chunks-${n++}-${Date.now()}@thread.v2`;
      await meetings.update(T, chat, (s, now) => {
        ops.planMeeting(s, SECRETARY, { title: 'DVO', date: '2030-12-12', members: [] }, now);
        ops.setAgenda(s, SECRETARY, [
          { code: 'A', title: 'Opening', kind: 'opening', closed: false, attachments: [] },
          { code: 'B', title: 'Mededelingen', kind: 'announcements', closed: false, attachments: [] },
          { code: 'D1', title: 'Cameratoezicht', kind: 'discussion', closed: false, attachments: [] },
        ]);
        ops.start(s, SECRETARY, now);
      });
    });

    const announce = (count: number, from = 0) =>
      meetings.update(T, chat, (s, now) => {
        for (let i = from; i < from + count; i++) ops.addContribution(s, member(i), 'announcement', `Mededeling ${i}`, undefined, now);
      });
    const texts = (s: Series) => s.meetings.at(-1)!.announcements.map((a) => a.text);
    const seriesKey = () => MeetingService.key(T, chat);

    it('one more announcement writes the series and the last chunk only, whatever the meeting holds', async () => {
      await announce(CHUNK * 3 + 5);
      await announce(1, 1000);
      const seriesOnly = log.last.keys.filter((k) => k !== seriesKey());
      assert.deepEqual(seriesOnly, [
        `${seriesKey()}:records:${encodeURIComponent((await meetings.read(T, chat)).meetings[0]!.id)}/announcements/3`,
      ]);
      assert.ok(log.last.chars < 4000, `${log.last.chars} characters written`);
      const head = (await harness!.store.read([seriesKey()]))[seriesKey()]!;
      assert.ok(!JSON.stringify(head).includes('Mededeling 1000'), 'no record in the series document');
      const series = await meetings.read(T, chat);
      assert.equal(texts(series).length, CHUNK * 3 + 6);
      assert.deepEqual(texts(series).slice(-2), [`Mededeling ${CHUNK * 3 + 4}`, 'Mededeling 1000']);
      assert.deepEqual(
        series.meetings[0]!.announcements.map((a) => a.number),
        Array.from({ length: CHUNK * 3 + 6 }, (_, i) => i + 1),
      );
    });

    it('a correction writes the chunk of the record it corrects; a removal the chunks after it, and drops one no longer needed', async () => {
      await announce(CHUNK + 1);
      await meetings.update(T, chat, (s, now) =>
        correctRecord(s, SECRETARY, { kind: 'announcement', label: '2', edit: { kind: 'announcement', text: 'Verbeterd' } }, now),
      );
      assert.deepEqual(
        log.last.keys.filter((k) => k !== seriesKey()).map((k) => k.split('/').slice(-2).join('/')),
        ['announcements/0'],
      );
      assert.equal(texts(await meetings.read(T, chat))[1], 'Verbeterd');
      await meetings.update(T, chat, (s, now) => correctRecord(s, SECRETARY, { kind: 'announcement', label: '1' }, now));
      const written = log.last;
      assert.ok(written.keys.some((k) => k.endsWith('announcements/0')));
      const dropped = written.keys.find((k) => k.endsWith('announcements/1'))!;
      assert.equal((await harness!.store.read([dropped]))[dropped], undefined, 'the second chunk, now empty, is gone');
      const series = await meetings.read(T, chat);
      assert.equal(texts(series).length, CHUNK);
      assert.deepEqual(texts(series).slice(0, 2), ['Verbeterd', 'Mededeling 2']);
    });

    it('notes come back on their items, decisions and actions in their own lists; completing an action writes its chunk', async () => {
      await meetings.update(T, chat, (s, now) => {
        ops.addNote(s, SECRETARY, 'Notitie bij de opening', 'A', now);
        ops.addNote(s, SECRETARY, 'Notitie bij D1', 'D1', now);
        ops.addDecision(s, SECRETARY, 'Besloten', 'agreed', 'D1', now);
        for (let i = 0; i < CHUNK + 2; i++) ops.addAction(s, SECRETARY, { owner: `Lid ${i}`, text: `Actie ${i}`, code: 'D1' }, now);
      });
      await meetings.update(T, chat, (s, now) => ops.completeAction(s, SECRETARY, String(CHUNK + 1), now));
      assert.deepEqual(
        log.last.keys.filter((k) => k !== seriesKey()).map((k) => k.split(':records:')[1]),
        ['actions/1'],
      );
      const series = await meetings.read(T, chat);
      const m = series.meetings[0]!;
      assert.deepEqual(
        m.agenda.map((i) => i.notes.map((x) => x.text)),
        [['Notitie bij de opening'], [], ['Notitie bij D1']],
      );
      assert.deepEqual(
        m.decisions.map((d) => d.text),
        ['Besloten'],
      );
      assert.equal(series.actions.length, CHUNK + 2);
      assert.equal(series.actions.find((a) => a.number === CHUNK + 1)!.status, 'done');
      assert.equal(series.actions.filter((a) => a.status === 'done').length, 1);
    });

    it('a turn asks the store for the chunks written since this instance last held them, not for every chunk', async () => {
      // A shared store confirms every chunk it holds by eTag (not parsed again); the embedded one trusts the tokens.
      const shared = harness!.store.shared;
      // Five of announcements, one of the agenda.
      const allChunks = 6;
      await announce(CHUNK * 4 + 3);
      await announce(1, 1000);
      assert.equal(log.asked.at(-1)!.length, shared ? allChunks : 0, 'every chunk current: no chunk is read');
      const other = new MeetingService(await harness!.again());
      await other.update(T, chat, (s, now) =>
        correctRecord(s, SECRETARY, { kind: 'announcement', label: '2', edit: { kind: 'announcement', text: 'Elders verbeterd' } }, now),
      );
      const series = await meetings.read(T, chat);
      if (!shared)
        assert.deepEqual(
          log.asked.at(-1)!.map((k) => k.split('/').slice(-2).join('/')),
          ['announcements/0'],
          'the chunk the other instance wrote',
        );
      assert.equal(texts(series)[1], 'Elders verbeterd');
      assert.equal(texts(series).length, CHUNK * 4 + 4);
      await meetings.read(T, chat);
      assert.equal(log.asked.at(-1)!.length, shared ? allChunks : 0, 'and then held by its token too');
    });

    it('a chunk an older instance changed alone (the series document untouched) is read, not served from memory', async function () {
      // A version before the tokens, beside this one on a shared store: its correction writes the chunk only.
      if (!harness!.store.shared) this.skip();
      await announce(CHUNK + 2);
      assert.equal(texts(await meetings.read(T, chat))[0], 'Mededeling 0');
      const key = `${seriesKey()}:records:${encodeURIComponent((await meetings.read(T, chat)).meetings[0]!.id)}/announcements/0`;
      const { eTag: _eTag, ...chunk } = (await harness!.store.read([key]))[key]!;
      const records = (chunk.records as { text: string }[]).map((r, i) => (i === 0 ? { ...r, text: 'Door de oude versie verbeterd' } : r));
      await harness!.store.write({ [key]: { ...chunk, records } });
      assert.equal(texts(await meetings.read(T, chat))[0], 'Door de oude versie verbeterd');
      // This instance rewrites that chunk next (a correction of its second record): the older change stays.
      await meetings.update(T, chat, (s, now) =>
        correctRecord(s, SECRETARY, { kind: 'announcement', label: '2', edit: { kind: 'announcement', text: 'Hier verbeterd' } }, now),
      );
      const afresh = texts(await new MeetingService(await harness!.again()).read(T, chat));
      assert.deepEqual(
        afresh.slice(0, 2),
        ['Door de oude versie verbeterd', 'Hier verbeterd'],
        'and the next write of this instance keeps it',
      );
      assert.equal(afresh.length, CHUNK + 2);
    });

    it('a series document without tokens (as a version that does not know them writes it) has its chunks read by eTag', async () => {
      await announce(CHUNK + 2);
      const other = new MeetingService(await harness!.again());
      await other.update(T, chat, (s, now) =>
        correctRecord(s, SECRETARY, { kind: 'announcement', label: '1', edit: { kind: 'announcement', text: 'Oud verbeterd' } }, now),
      );
      const key = seriesKey();
      const { eTag: _eTag, ...head } = (await harness!.store.read([key]))[key]!;
      delete (head.recordCounts as { revs?: unknown }).revs;
      await harness!.store.write({ [key]: head });
      assert.equal(texts(await meetings.read(T, chat))[0], 'Oud verbeterd');
      assert.equal(log.asked.at(-1)!.length, 3, 'both chunks and the agenda asked for, by eTag');
    });

    it('a record read is frozen: it is replaced to be corrected, never changed in place', async () => {
      await announce(2);
      const series = await meetings.read(T, chat);
      assert.throws(() => {
        (series.meetings[0]!.announcements[0] as { text: string }).text = 'stil veranderd';
      }, TypeError);
    });

    it('another instance on the same store sees every record, also after its own cache held an older version', async () => {
      const other = new MeetingService(await harness!.again());
      await announce(CHUNK);
      assert.equal(texts(await other.read(T, chat)).length, CHUNK);
      await announce(1, 500);
      await other.update(T, chat, (s, now) => ops.addContribution(s, member(501), 'announcement', 'Van de ander', undefined, now));
      await announce(1, 502);
      for (const service of [meetings, other])
        assert.deepEqual(texts(await service.read(T, chat)).slice(-3), ['Mededeling 500', 'Van de ander', 'Mededeling 502']);
    });

    it('older inline data whose change touches only a record (an action done) keeps that change', async () => {
      await meetings.update(T, chat, (s, now) => void ops.addAction(s, SECRETARY, { owner: 'Lid 1', text: 'Actie', code: 'D1' }, now));
      const inline = chat + ':inline-action';
      const whole = structuredClone(await meetings.read(T, chat));
      await harness!.store.write({ [MeetingService.key(T, inline)]: { ...(whole as unknown as StoreItem), conversationId: inline } });
      await meetings.update(T, inline, (s, now) => ops.completeAction(s, SECRETARY, '1', now));
      assert.equal((await meetings.read(T, inline)).actions[0]!.status, 'done');
      assert.equal((await new MeetingService(harness!.store).read(T, inline)).actions[0]!.status, 'done', 'read afresh');
    });

    describe('the agenda, stored apart the same way', () => {
      const agendaKeys = (keys: string[]) => keys.filter((k) => /\/agenda\/\d+$/.test(k)).map((k) => k.split('/').at(-1));
      const lines = (count: number) =>
        Array.from({ length: count }, (_, k) => ({
          code: `P${k + 1}`,
          title: `Agendapunt ${k + 1}`,
          kind: 'discussion' as const,
          closed: false,
          attachments: [{ title: `Bijlage ${k + 1}`, url: `https://example.org/${k + 1}` }],
        }));
      const setAgenda = (count: number) => meetings.update(T, chat, (s) => void ops.setAgenda(s, SECRETARY, lines(count)));

      it('an announcement in a meeting of 60 items writes none of them; moving on writes the chunks of the items that changed', async () => {
        await setAgenda(60);
        await announce(1);
        assert.deepEqual(agendaKeys(log.last.keys), [], 'no agenda written');
        assert.ok(log.last.chars < 2500, `${log.last.chars} characters written`);
        const head = (await harness!.store.read([seriesKey()]))[seriesKey()]!;
        assert.ok(!JSON.stringify(head).includes('Agendapunt 1'), 'no item in the series document');
        // The current item (P1, the first after the start) ends its span and P2 starts one: both in the first chunk.
        await meetings.update(T, chat, (s, now) => void ops.move(s, SECRETARY, { to: 'next' }, now));
        assert.deepEqual(agendaKeys(log.last.keys), ['0']);
        await meetings.update(T, chat, (s, now) => void ops.move(s, SECRETARY, { to: 'item', code: `P${CHUNK + 5}` }, now));
        assert.deepEqual(
          agendaKeys(log.last.keys),
          ['0', '1'],
          'P2 ends its span in the first chunk, the item moved to starts one in the second',
        );
        const m = (await new MeetingService(await harness!.again()).read(T, chat)).meetings[0]!;
        assert.deepEqual(
          m.agenda.map((i) => i.title),
          lines(60).map((l) => l.title),
        );
        assert.equal(m.agenda[0]!.attachments[0]!.url, 'https://example.org/1');
        assert.equal(m.currentItemId, m.agenda[CHUNK + 4]!.id);
        assert.equal(m.agenda[1]!.spans!.length, 1);
        assert.ok(m.agenda[1]!.spans![0]!.to, 'the span of P2 ended');
      });

      it('every field of an item comes back as stored, and a change to any one of them alone is written', async () => {
        await setAgenda(2);
        // One value for every field an item stores (a field AgendaItem gains fails to compile here until it is added).
        const values: Required<Omit<AgendaItem, 'notes' | 'proposal'>> = {
          id: 'x-id',
          code: 'Z9',
          title: 'Anders',
          kind: 'decision',
          closed: true,
          portfolioHolder: 'Wethouder',
          attachments: [{ title: 'Nieuw', url: 'https://example.org/nieuw' }],
          previousMinutesOf: 'elders',
          spans: [{ from: '2030-12-12T10:00:00.000Z', to: '2030-12-12T10:05:00.000Z' }],
        };
        const afresh = async () => (await new MeetingService(await harness!.again()).read(T, chat)).meetings[0]!.agenda[0]!;
        for (const [field, value] of Object.entries(values)) {
          await meetings.update(T, chat, (s) => void ((s.meetings[0]!.agenda[0] as unknown as Record<string, unknown>)[field] = value));
          assert.deepEqual(agendaKeys(log.last.keys), ['0'], `a change of ${field} alone is written`);
          assert.deepEqual((await afresh())[field as keyof AgendaItem], value, field);
        }
        const { notes: _notes, ...item } = await afresh();
        assert.deepEqual(item, values, 'every field as set');
        await meetings.update(T, chat, (s, now) => void ops.addContribution(s, member(1), 'announcement', 'Nieuw', undefined, now));
        assert.deepEqual(agendaKeys(log.last.keys), [], 'and then, unchanged, not written again');
      });

      it('items read are the domain’s to change (their arrays replaced); a change that fails leaves them as stored', async () => {
        await setAgenda(3);
        await assert.rejects(
          meetings.update(T, chat, (s) => {
            const item = s.meetings[0]!.agenda[0]!;
            item.title = 'Half veranderd';
            assert.throws(() => item.attachments.push({ title: 'Erbij' }), TypeError, 'shared with the item read: frozen');
            item.attachments = [...item.attachments, { title: 'Erbij' }];
            throw new Error('halfway');
          }),
          /halfway/,
        );
        const series = await meetings.read(T, chat);
        assert.equal(series.meetings[0]!.agenda[0]!.title, 'Agendapunt 1');
        assert.equal(series.meetings[0]!.agenda[0]!.attachments.length, 1);
        await meetings.update(T, chat, (s) => void (s.meetings[0]!.agenda[2]!.title = 'Anders genoemd'));
        assert.deepEqual(agendaKeys(log.last.keys), ['0']);
        assert.equal((await meetings.read(T, chat)).meetings[0]!.agenda[2]!.title, 'Anders genoemd');
      });

      it('an agenda in the series document (as an earlier version stored it) reads as before and moves apart with the next write', async () => {
        await setAgenda(3);
        await meetings.update(T, chat, (s, now) => void ops.addNote(s, SECRETARY, 'Notitie bij P2', 'P2', now));
        const items = (await meetings.read(T, chat)).meetings[0]!.agenda.map(({ notes: _notes, ...item }) => ({ ...item }));
        // What the version before stored: the records apart, the agenda (without its notes) in the series document.
        const key = seriesKey();
        const { eTag: _eTag, ...head } = (await harness!.store.read([key]))[key]!;
        const meeting = (head.meetings as Record<string, unknown>[])[0]!;
        meeting.agenda = items;
        const counts = head.recordCounts as { meetings: Record<string, { agenda?: number }>; revs?: Record<string, unknown> };
        const name = `${encodeURIComponent(meeting.id as string)}/agenda`;
        delete counts.meetings[meeting.id as string]!.agenda;
        delete counts.revs?.[name];
        await harness!.store.write({ [key]: head });
        await harness!.store.delete([`${key}:records:${name}/0`]);
        const afresh = new MeetingService(await harness!.again());
        const read = await afresh.read(T, chat);
        assert.deepEqual(
          read.meetings[0]!.agenda.map((i) => [i.title, i.notes.map((n) => n.text)]),
          [
            ['Agendapunt 1', []],
            ['Agendapunt 2', ['Notitie bij P2']],
            ['Agendapunt 3', []],
          ],
        );
        await afresh.update(T, chat, (s, now) => void ops.addContribution(s, member(1), 'announcement', 'Nieuw', undefined, now));
        const moved = (await harness!.store.read([key]))[key]!;
        assert.ok(!JSON.stringify(moved).includes('Agendapunt 1'), 'moved out of the series document');
        assert.deepEqual(
          (await new MeetingService(await harness!.again()).read(T, chat)).meetings[0]!.agenda.map((i) => [i.title, i.notes.length]),
          [
            ['Agendapunt 1', 0],
            ['Agendapunt 2', 1],
            ['Agendapunt 3', 0],
          ],
        );
      });
    });

    it('older data with its records inline reads as before and is stored apart with the next write', async () => {
      await announce(3);
      const whole = await meetings.read(T, chat);
      // As an earlier version stored it: the records in the series document itself.
      const inline = chat + ':inline';
      await harness!.store.write({
        [MeetingService.key(T, inline)]: { ...(structuredClone(whole) as unknown as StoreItem), conversationId: inline },
      });
      assert.deepEqual(texts(await meetings.read(T, inline)), ['Mededeling 0', 'Mededeling 1', 'Mededeling 2']);
      await meetings.update(T, inline, (s, now) => ops.addContribution(s, member(9), 'announcement', 'Nieuw', undefined, now));
      const head = (await harness!.store.read([MeetingService.key(T, inline)]))[MeetingService.key(T, inline)]!;
      assert.ok(!JSON.stringify(head).includes('Mededeling 1'), 'moved out of the series document');
      assert.deepEqual(texts(await meetings.read(T, inline)), ['Mededeling 0', 'Mededeling 1', 'Mededeling 2', 'Nieuw']);
    });
  });
}

recordsApart('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notulist-chunks-'));
  const file = join(dir, 'store.sqlite');
  const opened: DocumentStore[] = [new SqliteDocumentStore(file)];
  return Promise.resolve({
    store: opened[0]!,
    again: () => Promise.resolve(opened[opened.push(new SqliteDocumentStore(file)) - 1]!),
    stop: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

recordsApart('PostgreSQL', async () => {
  const postgres = await startPostgres();
  if (!postgres) {
    console.log(`      ${POSTGRES_SKIP_MESSAGE}`);
    return null;
  }
  const opened: DocumentStore[] = [await PostgresDocumentStore.open(postgres.url)];
  return {
    store: opened[0]!,
    again: async () => opened[opened.push(await PostgresDocumentStore.open(postgres.url)) - 1]!,
    stop: async () => {
      for (const s of opened) await s.close();
      await postgres.stop();
    },
  };
});
