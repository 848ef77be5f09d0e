// Publishing: renders a meeting's minutes and hands them to the configured publisher, then records the
// outcome with the meeting. A failure is recorded too and loses nothing: publishing again re-renders
// from the stored meeting and replaces what an earlier attempt wrote.
import { setTimeout as sleep } from 'node:timers/promises';
import { strings, type Strings } from '../i18n';
import { longDate } from '../meeting/dates';
import { DomainError } from '../meeting/errors';
import * as ops from '../meeting/operations';
import type { MeetingService } from '../meeting/service';
import type { Meeting, Person, Publication } from '../meeting/types';
import type { DraftLinks, DraftRef, DraftViewer } from './draftLinks';
import { PendingPublishes, type PendingPublish } from './pendingPublishes';
import type { HouseStyle } from './houseStyle';
import { minutesModel, minutesParts, type MinutesPart } from './model';
import { buildMinutesPackage, minutesDocx, minutesFileName, partOfFileName } from './package';
import { PartlyPublished, type ClosedLocation, type MinutesPublisher } from './publisher';

/** A publish still "publishing" after this long was interrupted (a restart): it may be started again. */
export const STALE_PUBLISH_MS = 10 * 60 * 1000;

/**
 * Where the last successful publish put the closed part is kept with the meeting's publication, in
 * `remote` under this key (as JSON): the meeting's types belong to the domain, and `remote` is the
 * publishers' own. It is never handed back to a publisher.
 */
const CLOSED_LOCATION_KEY = 'closedLocation';

/** Who may see the closed part: the meeting's secretary and chairs, by Teams id (as rights are bound). */
function mayViewClosed(meeting: Meeting, viewer: DraftViewer): boolean {
  return viewer.id !== '' && ops.roleOf(meeting, { id: viewer.id, name: viewer.name }) !== 'member';
}

/** The part a published document holds (its PDF/A copy is not linked). */
function partOf(fileName: string): MinutesPart | undefined {
  return fileName.endsWith('.docx') ? partOfFileName(fileName) : undefined;
}

/**
 * TEST HOOK (NOTULIST_TEST_HOOK_PAUSE_PUBLISH), inert unless set: at this moment of a publish, say so on
 * stderr and wait (60 s), so a test can kill the process there. `begun`: the publishing state is stored,
 * before the turn replies; `uploaded`: the publisher has written everything, before the outcome is stored.
 */
export interface MinutesTestHooks {
  pausePublishAt?: 'begun' | 'uploaded';
}

export interface MinutesOptions extends MinutesTestHooks {
  /** The deployment's house style (MINUTES_BODY, MINUTES_HEADER_LINE, MINUTES_LOGO); a chat's own texts win. */
  house?: HouseStyle;
}

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
    private readonly opts: MinutesOptions = {},
  ) {}

  private async testPause(at: 'begun' | 'uploaded', meetingId: string): Promise<void> {
    if (this.opts.pausePublishAt !== at) return;
    process.stderr.write(`[test hook] publish paused at ${at} (meeting ${meetingId})\n`);
    await sleep(60_000);
  }

  /** Lists a publish as under way until it is done, so a restart can finish it (see pendingPublishes.ts). */
  track(job: PendingPublish): Promise<void> {
    return this.pending.add(job);
  }

  /** Publishes a crash or restart left unfinished. */
  interrupted(): Promise<PendingPublish[]> {
    return this.pending.list();
  }

  private draftRef(tenantId: string, conversationId: string, meeting: Meeting): DraftRef {
    return { tenantId, conversationId, meetingId: meeting.id, version: meeting.minutes.draftLinkVersion ?? 0 };
  }

  /**
   * The link to the meeting's public draft (the public part only; it may be shared), or undefined when
   * drafts are not served. It ends after 7 days or when the minutes are published.
   */
  draftUrl(tenantId: string, conversationId: string, meeting: Meeting): string | undefined {
    return this.draftLinks?.publicUrl(this.draftRef(tenantId, conversationId, meeting));
  }

  /**
   * The link to the whole draft, the closed part included, for `viewer` only: the page names them, the link
   * lives at most 24 hours and ends when the minutes are published. For the chair's or secretary's own view
   * (a user-specific card, a 1:1 chat), never for a shared card. Undefined when drafts are not served, or
   * when `viewer` is not the meeting's secretary or one of its chairs (by Teams id): the link would open
   * nothing, since openDraft checks that again.
   */
  fullDraftUrl(tenantId: string, conversationId: string, meeting: Meeting, viewer: DraftViewer): string | undefined {
    if (!mayViewClosed(meeting, viewer)) return undefined;
    return this.draftLinks?.fullUrl(this.draftRef(tenantId, conversationId, meeting), { id: viewer.id, name: viewer.name });
  }

  /**
   * The published files as links a Teams user can open: SharePoint's own web links, or for the local
   * folder (whose file:// paths no browser opens from Teams) the same documents served with a draft link.
   * Without `viewer`, or for a viewer who is neither the secretary nor a chair, only the public document:
   * a link that opens the closed part is handed out for the chair's or secretary's own view only (and a
   * SharePoint link to it opens only for those the closed folder is shared with).
   */
  publishedLinks(tenantId: string, conversationId: string, meeting: Meeting, viewer?: DraftViewer): { name: string; url: string }[] {
    const p = meeting.minutes.publication;
    if (p?.state !== 'published') return [];
    const full = viewer !== undefined && mayViewClosed(meeting, viewer);
    const links: { name: string; url: string }[] = [];
    for (const f of p.files) {
      const part = partOf(f.name);
      if (part !== 'openbaar' && !(part === 'besloten' && full)) continue;
      if (/^https?:/i.test(f.url)) {
        links.push({ name: f.name, url: f.url });
        continue;
      }
      const draft =
        part === 'besloten'
          ? this.fullDraftUrl(tenantId, conversationId, meeting, viewer!)
          : this.draftUrl(tenantId, conversationId, meeting);
      links.push({ name: f.name, url: draft ? `${draft}/${part}.docx` : f.url });
    }
    return links;
  }

  /** Where the last publish put the closed part (see PublishResult.closedLocation); undefined when it had none. */
  closedLocation(meeting: Meeting): ClosedLocation | undefined {
    const p = meeting.minutes.publication;
    const stored = p?.state === 'published' ? p.remote?.[CLOSED_LOCATION_KEY] : undefined;
    if (!stored) return undefined;
    try {
      return JSON.parse(stored) as ClosedLocation;
    } catch {
      return undefined;
    }
  }

  /**
   * Opens a draft link: `file` is absent for the page, or "openbaar.docx" / "besloten.docx". Rendered
   * from the stored meeting at the moment it is opened, so it always shows the current draft. A public
   * link shows the public part only; a full link both parts and the corrections, while its viewer is
   * still the secretary or a chair. Every refusal is a short page (404 or 410), never an error.
   */
  async openDraft(token: string, file: string | undefined, locale?: string): Promise<DraftResponse> {
    // The page's renderer (markdown-it: 20 ms and 5 MB to load) is loaded when a draft is first opened.
    const { dateTime, renderDraftGone, renderDraftPage } = await import('./draftPage');
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
    const viewer = verified.scope === 'full' ? verified.viewer : undefined;
    // A full link made for someone who is no longer the secretary or a chair opens nothing.
    if (viewer && !mayViewClosed(meeting, viewer)) return gone(s, 404, 'invalid');
    const parts = minutesParts(meeting).filter((part) => part === 'openbaar' || viewer);
    if (file === undefined) {
      const body = renderDraftPage({
        s,
        meetingTitle: meeting.title,
        models: parts.map((part) => minutesModel(series, meetingId, part)),
        downloads: parts.map((part) => ({ part: s.minutes.parts[part], href: `${encodeURIComponent(token)}/${part}.docx` })),
        adopted: meeting.minutes.status === 'adopted',
        // A public link stops at midnight (UTC) starting its last day: the reader is told that day. A full
        // link is told its hour.
        expiresAt: viewer
          ? dateTime(verified.expiresAt, s.lang)
          : longDate(new Date(Date.parse(verified.expiresAt) - 1).toISOString(), s.lang),
        full: viewer ? { viewerName: viewer.name, changes: meeting.changes ?? [] } : undefined,
      });
      return { status: 200, contentType: 'text/html; charset=utf-8', body };
    }
    const part = /^(openbaar|besloten)\.docx$/.exec(file)?.[1] as MinutesPart | undefined;
    if (!part || !parts.includes(part)) return gone(s, 404, 'invalid');
    return {
      status: 200,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      body: await minutesDocx(series, meetingId, part, this.opts.house),
      fileName:
        meeting.minutes.status === 'adopted'
          ? minutesFileName(meeting, part)
          : minutesFileName(meeting, part).replace(/\.docx$/, ` ${strings(meeting.locale).minutes.statusWords.concept}.docx`),
    };
  }

  /** The names of the logos a chat may choose (`logo: <name>`), from MINUTES_LOGOS. */
  logoNames(): string[] {
    return Object.keys(this.opts.house?.logos ?? {}).sort();
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
    if (!result.already) await this.testPause('begun', result.meeting.id);
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
  ): Promise<{ meeting: Meeting; publication: Publication; closedLocation?: ClosedLocation } | undefined> {
    const series = await this.meetings.read(tenantId, conversationId, meetingId);
    const meeting = series.meetings.find((m) => m.id === meetingId);
    if (!meeting) {
      // A listed job would otherwise be tried again at every start.
      await this.pending.remove(tenantId, conversationId, meetingId);
      return undefined;
    }
    let outcome: Pick<Publication, 'state' | 'files' | 'error' | 'remote'>;
    let closedLocation: ClosedLocation | undefined;
    const { [CLOSED_LOCATION_KEY]: _where, ...previous } = meeting.minutes.publication?.remote ?? {};
    try {
      const pkg = await buildMinutesPackage(series, meetingId, this.opts.house);
      const result = await this.publisher.publish(pkg, meeting.minutes.publication?.remote ? previous : undefined);
      closedLocation = result.closedLocation;
      const remote: Record<string, string> = { ...previous, ...result.remote };
      if (closedLocation) remote[CLOSED_LOCATION_KEY] = JSON.stringify(closedLocation);
      outcome = { state: 'published', files: result.files, remote };
      await this.testPause('uploaded', meetingId);
    } catch (err) {
      outcome = {
        state: 'failed',
        files: meeting.minutes.publication?.files ?? [],
        error: err instanceof Error ? err.message : String(err),
        // What the failed attempt did write, so the next publish replaces or removes it.
        remote: err instanceof PartlyPublished ? err.remote : undefined,
      };
    }
    // The outcome is stored and the job taken off the list in one write: no restart publishes it again.
    const { result } = await this.meetings.update(
      tenantId,
      conversationId,
      (s, now) => {
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
        return { meeting: m, publication, closedLocation };
      },
      PendingPublishes.removedWith(tenantId, conversationId, meetingId),
    );
    return result;
  }
}
