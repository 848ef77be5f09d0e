// The after-turn module on its own: a real embedded store, a real (folder) publisher, and a fake card
// sender that records what would reach the chat. Only the bot's own record decides which message is
// edited; a shared agenda is only ever edited into its member view; replaced cards retire.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AfterTurn, CardSender, Where } from '../../bot/afterTurn';
import type { AdaptiveCard } from '../../cards/render';
import { createLogger } from '../../services/log';
import { parseAgenda } from '../../services/meeting/agenda';
import * as ops from '../../services/meeting/operations';
import { MeetingService } from '../../services/meeting/service';
import type { Person } from '../../services/meeting/types';
import { FolderMinutesPublisher } from '../../services/minutes/folderPublisher';
import { MinutesService } from '../../services/minutes/minutesService';
import { PendingPublishes } from '../../services/minutes/pendingPublishes';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { findActions } from '../support/cardActions';

type Sent = { op: 'post'; id: string; card: AdaptiveCard } | { op: 'edit'; id: string; card: AdaptiveCard };

/** Records posts and edits; an edit is rendered at once (the real one renders when it is sent). */
class FakeSender implements CardSender {
  readonly log: Sent[] = [];
  private n = 0;
  async post(_where: Where, card: AdaptiveCard): Promise<string> {
    const id = `msg-${++this.n}`;
    this.log.push({ op: 'post', id, card });
    return id;
  }
  async edit(_where: Where, id: string, render: () => Promise<AdaptiveCard | undefined>): Promise<void> {
    const card = await render();
    if (card) this.log.push({ op: 'edit', id, card });
  }
  async drain(): Promise<void> {}
  edits(id: string): AdaptiveCard[] {
    return this.log.filter((e) => e.op === 'edit' && e.id === id).map((e) => e.card);
  }
}

const T = 'tenant-1';
const C = '19:after-turn@thread.v2';
const WHERE: Where = { tenantId: T, conversationId: C, ref: { conversation: { id: C } } };
const SECRETARY: Person = { id: '29:secretaris', name: 'H. Meuleman' };
const CHAIR: Person = { id: '29:voorzitter', name: 'O. van Veldhuizen' };
const CHAIR_VERBS = ['start', 'goTo', 'note', 'decision', 'action', 'close', 'publish', 'setAgenda', 'attendance', 'correct'];
/** Performs the effects and waits for the edits they scheduled, as a typed turn does. */
const settled = async (afterTurn: AfterTurn, where: Where, effects: Parameters<AfterTurn['perform']>[1]) =>
  Promise.all(await afterTurn.perform(where, effects));
const verbs = (card: AdaptiveCard) => findActions(card).map((a) => String(a.verb ?? ''));

describe('after the turn (bot/afterTurn.ts): effects performed against a real store and a fake chat', () => {
  let dir: string;
  let store: SqliteDocumentStore;
  let meetings: MeetingService;
  let sender: FakeSender;
  let afterTurn: AfterTurn;
  let meetingId: string;
  const background = new Set<Promise<unknown>>();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-after-turn-'));
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    meetings = new MeetingService(store);
    const minutes = new MinutesService(meetings, new FolderMinutesPublisher(join(dir, 'minutes')), new PendingPublishes(store));
    sender = new FakeSender();
    afterTurn = new AfterTurn({ services: { meetings, minutes }, cards: sender, log: createLogger('silent'), background });
    const { result } = await meetings.update(T, C, (series, now) => {
      const m = ops.planMeeting(series, SECRETARY, { title: 'DVO', date: '2026-12-10', members: [] }, now);
      ops.setChair(series, SECRETARY, CHAIR);
      ops.setAgenda(series, SECRETARY, parseAgenda(['A Opening', 'B Mededelingen', 'C Personeel [besloten]', 'D Sluiting']));
      ops.start(series, SECRETARY, now);
      return m;
    });
    meetingId = result.id;
  });
  afterEach(async () => {
    await Promise.allSettled([...background]);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const meeting = async () => (await meetings.read(T, C)).meetings.find((m) => m.id === meetingId)!;

  it('posts the live agenda in its member view with the chair and secretary in refresh.userIds, and retires the one it replaces', async () => {
    await settled(afterTurn, WHERE, [{ kind: 'postAgenda', meetingId }]);
    const first = sender.log[0]!;
    assert.equal(first.op, 'post');
    assert.deepEqual(
      verbs(first.card).filter((v) => CHAIR_VERBS.includes(v)),
      [],
      'members get no chair buttons',
    );
    assert.deepEqual((first.card.refresh as { userIds: string[] }).userIds, [SECRETARY.id, CHAIR.id]);
    assert.equal((await meeting()).agendaCardId, first.id);

    await settled(afterTurn, WHERE, [{ kind: 'postAgenda', meetingId }]);
    const second = sender.log.find((e) => e.op === 'post' && e.id !== first.id)!;
    assert.equal((await meeting()).agendaCardId, second.id);
    const retired = sender.edits(first.id);
    assert.equal(retired.length, 1);
    assert.match(JSON.stringify(retired[0]), /vervangen door een nieuwere/);
    assert.deepEqual(findActions(retired[0]), [], 'a retired agenda has nothing to click');
  });

  it('posts the live item card with the chair’s buttons and a refresh for everyone, nothing of a closed item; the one it replaces retires', async () => {
    await settled(afterTurn, WHERE, [{ kind: 'postItem', meetingId }]);
    const first = sender.log.find((e) => e.op === 'post')!;
    assert.ok(verbs(first.card).includes('goTo'));
    assert.equal((first.card.refresh as { userIds?: string[] }).userIds, undefined, 'every client fetches its own view');
    assert.equal((await meeting()).itemCard?.activityId, first.id);

    await meetings.update(T, C, (series, now) => ops.move(series, CHAIR, { to: 'item', code: 'C' }, now));
    await meetings.update(T, C, (series, now) => ops.addDecision(series, CHAIR, 'Geheim besluit', 'agreed', undefined, now));
    await settled(afterTurn, WHERE, [{ kind: 'postItem', meetingId }]);
    const second = sender.log.filter((e) => e.op === 'post').at(-1)!;
    assert.ok(!JSON.stringify(second.card).includes('Geheim besluit'), 'as posted: nothing of the closed item');
    assert.match(JSON.stringify(sender.edits(first.id)[0]), /niet meer aan de orde/);
    assert.deepEqual(
      verbs(sender.edits(first.id)[0]!).filter((v) => CHAIR_VERBS.includes(v)),
      [],
    );
  });

  it('cardsChanged edits exactly the recorded agenda and item cards: the agenda into its member view, never any other message', async () => {
    await settled(afterTurn, WHERE, [
      { kind: 'postAgenda', meetingId },
      { kind: 'postItem', meetingId },
    ]);
    const ids = sender.log.filter((e) => e.op === 'post').map((e) => e.id);
    await meetings.update(T, C, (series, now) => ops.move(series, CHAIR, { to: 'next' }, now));
    const before = sender.log.length;
    await settled(afterTurn, WHERE, [{ kind: 'cardsChanged', meetingId }]);
    const edits = sender.log.slice(before);
    assert.deepEqual(edits.map((e) => e.id).sort(), [...ids].sort());
    const agenda = edits.find((e) => e.id === ids[0])!;
    assert.deepEqual(
      verbs(agenda.card).filter((v) => CHAIR_VERBS.includes(v)),
      [],
      'the shared agenda stays the member view',
    );
    assert.match(JSON.stringify(edits.find((e) => e.id === ids[1])!.card), /Mededelingen/, 'the item card follows the current item');

    // Closing: the agenda becomes the closed form, the item card retires; neither offers recording.
    await meetings.update(T, C, (series, now) => ops.close(series, CHAIR, now));
    const mark = sender.log.length;
    await settled(afterTurn, WHERE, [{ kind: 'cardsChanged', meetingId }]);
    for (const e of sender.log.slice(mark))
      assert.deepEqual(
        verbs(e.card).filter((v) => CHAIR_VERBS.includes(v)),
        [],
        e.id,
      );
  });

  it('publish posts a progress card, lists it with the pending job, and turns it into the result', async () => {
    await meetings.update(T, C, (series, now) => ops.close(series, CHAIR, now));
    const minutes = new MinutesService(meetings, new FolderMinutesPublisher(join(dir, 'minutes')), new PendingPublishes(store));
    await minutes.begin(T, C, SECRETARY, meetingId, WHERE.ref);
    await settled(afterTurn, WHERE, [{ kind: 'publish', meetingId }]);
    const progress = sender.log.find((e) => e.op === 'post')!;
    assert.match(JSON.stringify(progress.card), /wordt gepubliceerd/);
    await Promise.all([...background]);
    const result = sender.edits(progress.id).at(-1)!;
    assert.match(JSON.stringify(result), /gepubliceerd in de map/);
    assert.ok(!JSON.stringify(result).includes('besloten.docx'), 'as posted: the public document only');
    assert.deepEqual(await minutes.interrupted(), [], 'the job is done');
  });

  it('retire edits the named messages into a retired form with nothing to click', async () => {
    await settled(afterTurn, WHERE, [{ kind: 'retire', activityIds: ['old-1', 'old-2'], title: 'DVO', text: 'Geannuleerd.' }]);
    assert.deepEqual(
      sender.log.map((e) => [e.op, e.id]),
      [
        ['edit', 'old-1'],
        ['edit', 'old-2'],
      ],
    );
    for (const e of sender.log) assert.deepEqual(findActions(e.card), []);
  });
});
