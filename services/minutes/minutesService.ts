// Publishing: renders a meeting's minutes and hands them to the configured publisher, then records the
// outcome with the meeting. A failure is recorded too and loses nothing: publishing again re-renders
// from the stored meeting and replaces what an earlier attempt wrote.
import { DomainError } from '../meeting/errors';
import * as ops from '../meeting/operations';
import type { MeetingService } from '../meeting/service';
import type { Meeting, Person, Publication } from '../meeting/types';
import { buildMinutesPackage } from './package';
import type { MinutesPublisher } from './publisher';

/** A publish still "publishing" after this long was interrupted (a restart): it may be started again. */
const STALE_PUBLISH_MS = 10 * 60 * 1000;

export class MinutesService {
  constructor(
    private readonly meetings: MeetingService,
    private readonly publisher: MinutesPublisher,
  ) {}

  get publisherKind(): string {
    return this.publisher.kind;
  }

  /** The secretary starts a publish: marks it under way (so a double click starts one only). */
  async begin(
    tenantId: string,
    conversationId: string,
    actor: Person,
    meetingId?: string,
  ): Promise<{ meeting: Meeting; already: boolean }> {
    let already = false;
    const { result } = await this.meetings.update(tenantId, conversationId, (series, now) => {
      const meeting = meetingId ? ops.findMeeting(series, meetingId) : ops.minutesMeeting(series);
      if (!meeting) throw new DomainError('noMeeting');
      ops.requireSecretary(meeting, actor);
      const p = meeting.minutes.publication;
      already = p?.state === 'publishing' && Date.now() - Date.parse(p.at) < STALE_PUBLISH_MS;
      if (!already)
        meeting.minutes.publication = {
          ...p,
          state: 'publishing',
          at: now,
          status: meeting.minutes.status,
          files: p?.files ?? [],
          error: undefined,
        };
      return meeting;
    });
    return { meeting: result, already };
  }

  /** Records where the progress card is, so the result can replace it. */
  async setProgressCard(tenantId: string, conversationId: string, meetingId: string, activityId: string): Promise<void> {
    await this.meetings.update(tenantId, conversationId, (series) => {
      const p = ops.findMeeting(series, meetingId).minutes.publication;
      if (p) p.cardActivityId = activityId;
    });
  }

  /** Renders and publishes; never throws: the outcome is stored and returned. */
  async publish(tenantId: string, conversationId: string, meetingId: string): Promise<{ meeting: Meeting; publication: Publication }> {
    const series = await this.meetings.read(tenantId, conversationId);
    const meeting = ops.findMeeting(series, meetingId);
    let outcome: Pick<Publication, 'state' | 'files' | 'error' | 'remote'>;
    try {
      const pkg = await buildMinutesPackage(series, meetingId);
      const result = await this.publisher.publish(pkg, meeting.minutes.publication?.remote);
      outcome = { state: 'published', files: result.files, remote: { ...meeting.minutes.publication?.remote, ...result.remote } };
    } catch (err) {
      outcome = {
        state: 'failed',
        files: meeting.minutes.publication?.files ?? [],
        error: err instanceof Error ? err.message : String(err),
      };
    }
    const { result } = await this.meetings.update(tenantId, conversationId, (s, now) => {
      const m = ops.findMeeting(s, meetingId);
      const publication: Publication = {
        ...m.minutes.publication,
        ...outcome,
        at: now,
        status: m.minutes.status,
        remote: outcome.remote ?? m.minutes.publication?.remote,
      };
      m.minutes.publication = publication;
      return { meeting: m, publication };
    });
    return result;
  }
}
