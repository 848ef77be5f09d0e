// Publishes under way are listed until they end, so a restart finishes them; a job whose meeting no
// longer exists ends at once instead of being tried again at every start.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeetingService } from '../../services/meeting/service';
import { FolderMinutesPublisher } from '../../services/minutes/folderPublisher';
import { MinutesService } from '../../services/minutes/minutesService';
import { PendingPublishes } from '../../services/minutes/pendingPublishes';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';

describe('publishes under way', () => {
  let dir: string;
  let store: SqliteDocumentStore;
  let minutes: MinutesService;
  let pending: PendingPublishes;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-pending-'));
    store = new SqliteDocumentStore(join(dir, 'notulist.sqlite'));
    pending = new PendingPublishes(store);
    minutes = new MinutesService(new MeetingService(store), new FolderMinutesPublisher(join(dir, 'minutes')), pending);
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const job = (meetingId: string) => ({ tenantId: 't', conversationId: 'c', meetingId, since: new Date().toISOString(), where: {} });

  it('lists a job until it is removed, one per meeting', async () => {
    await minutes.track(job('m1'));
    await minutes.track(job('m1'));
    await minutes.track(job('m2'));
    assert.deepEqual((await minutes.interrupted()).map((j) => j.meetingId).sort(), ['m1', 'm2']);
    await pending.remove('t', 'c', 'm1');
    assert.deepEqual(
      (await minutes.interrupted()).map((j) => j.meetingId),
      ['m2'],
    );
  });

  it('drops a job whose meeting is gone, so the next start does not try it again', async () => {
    await minutes.track(job('no-such-meeting'));
    assert.equal(await minutes.publish('t', 'c', 'no-such-meeting'), undefined);
    assert.deepEqual(await minutes.interrupted(), []);
  });
});
