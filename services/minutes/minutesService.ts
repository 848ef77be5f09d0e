// Publishing: renders a meeting's minutes and hands them to the configured publisher, then records the
// outcome with the meeting. A failure is recorded too and loses nothing: publishing again re-renders
// from the stored meeting and replaces what an earlier attempt wrote.
import { strings, type Strings } from '../i18n';
import { longDate } from '../meeting/dates';
import { DomainError } from '../meeting/errors';
import * as ops from '../meeting/operations';
import type { MeetingService } from '../meeting/service';
import type { Meeting, Person, Publication } from '../meeting/types';
import type { DraftLinks } from './draftLinks';
import { PendingPublishes, type PendingPublish } from './pendingPublishes';
import { renderDraftGone, renderDraftPage } from './draftPage';
import { renderDocx } from './docx';
import { minutesModel, minutesParts, type MinutesPart } from './model';
import { buildMinutesPackage, minutesFileName } from './package';
import { PartlyPublished, type MinutesPublisher } from './publisher';

/** A publish still "publishing" after this long was interrupted (a restart): it may be started again. */
export const STALE_PUBLISH_MS = 10 * 60 * 1000;

/** What GET /minutes/draft/… answers: a page, a document, or a short page saying why not. */
export interface DraftResponse {
  status: 200 | 404 | 410;
  contentType: string;
  body: string | Buffer;
  /** Set for a document download. */
  fileName?: string;
}

export class MinutesService {
  constructor(
    private readonly meetings: MeetingService,
    private readonly publisher: MinutesPublisher,
    private readonly pending: PendingPublishes,
    /** Absent when the bot has no public address to link to: long drafts then show a summary only. */
    private readonly draftLinks?: DraftLinks,
  ) {}

  /** Lists a publish as under way until it is done, so a restart can finish it (see pendingPublishes.ts). */
  track(job: PendingPublish): Promise<void> {
    return this.pending.add(job);
  }

  /** Publishes a crash or restart left unfinished. */
  interrupted(): Promise<PendingPublish[]> {
    return this.pending.list();
  }

  /** The link to a meeting's full draft, or undefined when drafts are not served. */
  draftUrl(tenantId: string, conversationId: string, meeting: Meeting): string | undefined {
    return this.draftLinks?.url({ tenantId, conversationId, meetingId: meeting.id, version: meeting.minutes.draftLinkVersion ?? 0 });
  }

  /**
   * The link to the whole draft, closed part included, made for one viewer (chair or secretary).
   * Interim: the same link as draftUrl until draft links have scopes of their own.
   */
  fullDraftUrl(tenantId: string, conversationId: string, meeting: Meeting, viewer: { id: string; name: string }): string | undefined {
    void viewer;
    return this.draftUrl(tenantId, conversationId, meeting);
  }

  /**
   * The published files as links a Teams user can open: SharePoint's own web links, or for the local
   * folder (whose file:// paths no browser opens from Teams) the same documents served with a draft link.
   */
  publishedLinks(tenantId: string, conversationId: string, meeting: Meeting): { name: string; url: string }[] {
    const p = meeting.minutes.publication;
    if (p?.state !== 'published') return [];
    const draft = this.draftUrl(tenantId, conversationId, meeting);
    return p.files.map((f) => {
      const part = /(openbaar|besloten)\.docx$/.exec(f.name)?.[1];
      return /^https?:/i.test(f.url) || !draft || !part ? { name: f.name, url: f.url } : { name: f.name, url: `${draft}/${part}.docx` };
    });
  }

  /**
   * Opens a draft link: `file` is absent for the page, or "openbaar.docx" / "besloten.docx". Rendered
   * from the stored meeting at the moment it is opened, so it always shows the current draft.
   */
  async openDraft(token: string, file: string | undefined, locale?: string): Promise<DraftResponse> {
    const gone = (s: Strings, status: 404 | 410, reason: 'invalid' | 'expired' | 'gone'): DraftResponse => ({
      status,
      contentType: 'text/html; charset=utf-8',
      body: renderDraftGone(s, reason),
    });
    const verified = this.draftLinks?.verify(token);
    if (!verified || !verified.ok) return gone(strings(locale), verified?.reason === 'expired' ? 410 : 404, verified?.reason ?? 'invalid');
    const { tenantId, conversationId, meetingId } = verified.ref;
    const series = await this.meetings.read(tenantId, conversationId, meetingId);
    const meeting = series.meetings.find((m) => m.id === meetingId);
    if (!meeting) return gone(strings(locale), 404, 'gone');
    // Published since the link was made: the draft link has done its work (the documents are out).
    if (verified.ref.version !== (meeting.minutes.draftLinkVersion ?? 0)) return gone(strings(meeting.locale ?? locale), 410, 'expired');
    const s = strings(meeting.locale ?? locale);
    const parts = minutesParts(meeting);
    if (file === undefined) {
      const body = renderDraftPage({
        s,
        meetingTitle: meeting.title,
        models: parts.map((part) => minutesModel(series, meetingId, part)),
        downloads: parts.map((part) => ({ part, href: `${encodeURIComponent(token)}/${part}.docx` })),
        adopted: meeting.minutes.status === 'adopted',
        // The link stops at midnight (UTC) starting this day: the reader is told the last whole day.
        expiresAt: longDate(new Date(Date.parse(verified.expiresAt) - 1).toISOString(), s.lang),
      });
      return { status: 200, contentType: 'text/html; charset=utf-8', body };
    }
    const part = /^(openbaar|besloten)\.docx$/.exec(file)?.[1] as MinutesPart | undefined;
    if (!part || !parts.includes(part)) return gone(s, 404, 'invalid');
    return {
      status: 200,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      body: await renderDocx(minutesModel(series, meetingId, part)),
      fileName:
        meeting.minutes.status === 'adopted'
          ? minutesFileName(meeting, part)
          : minutesFileName(meeting, part).replace(/\.docx$/, ' concept.docx'),
    };
  }

  get publisherKind(): string {
    return this.publisher.kind;
  }

  /**
   * The secretary starts a publish: marks it under way (so a double click starts one only) and lists
   * the job in the same write, so a crash at any moment after this leaves a publish the next start
   * finishes, never one that only looks under way.
   */
  async begin(
    tenantId: string,
    conversationId: string,
    actor: Person,
    meetingId: string | undefined,
    where: Record<string, unknown>,
  ): Promise<{ meeting: Meeting; already: boolean }> {
    const { result } = await this.meetings.update(
      tenantId,
      conversationId,
      (series, now) => {
        const meeting = meetingId ? ops.findMeeting(series, meetingId) : ops.minutesMeeting(series);
        if (!meeting) throw new DomainError('noMeeting');
        ops.requireSecretary(meeting, actor);
        const p = meeting.minutes.publication;
        const already = p?.state === 'publishing' && Date.now() - Date.parse(p.at) < STALE_PUBLISH_MS;
        if (!already)
          meeting.minutes.publication = {
            ...p,
            state: 'publishing',
            at: now,
            status: meeting.minutes.status,
            files: p?.files ?? [],
            error: undefined,
          };
        return { meeting, already, now };
      },
      PendingPublishes.listedWith<{ meeting: Meeting; already: boolean; now: string }>(({ meeting, already, now }) =>
        already ? undefined : { tenantId, conversationId, meetingId: meeting.id, since: now, where },
      ),
    );
    return { meeting: result.meeting, already: result.already };
  }

  /** The progress card of a publish under way, so a restart replaces it with the result. */
  noteProgressCard(tenantId: string, conversationId: string, meetingId: string, cardActivityId: string): Promise<void> {
    return this.pending.setCard(tenantId, conversationId, meetingId, cardActivityId);
  }

  /**
   * Renders and publishes; a failure to publish is stored and returned, not thrown. Undefined when the
   * meeting is gone: then there is nothing to publish, and the job is no longer listed.
   */
  async publish(
    tenantId: string,
    conversationId: string,
    meetingId: string,
  ): Promise<{ meeting: Meeting; publication: Publication } | undefined> {
    const series = await this.meetings.read(tenantId, conversationId, meetingId);
    const meeting = series.meetings.find((m) => m.id === meetingId);
    if (!meeting) {
      // A listed job would otherwise be tried again at every start.
      await this.pending.remove(tenantId, conversationId, meetingId);
      return undefined;
    }
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
        // What the failed attempt did write, so the next publish replaces or removes it.
        remote: err instanceof PartlyPublished ? err.remote : undefined,
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
      if (publication.state === 'published') m.minutes.draftLinkVersion = (m.minutes.draftLinkVersion ?? 0) + 1;
      return { meeting: m, publication };
    });
    await this.pending.remove(tenantId, conversationId, meetingId);
    return result;
  }
}
