// The draft minutes as one HTML page (the target of a draft link): the Markdown rendering of each part
// the link may show, turned into HTML by markdown-it with raw HTML off, so member text (already
// Markdown-escaped) stays text. The page has no script and links to the draft .docx files. A full-scope
// page (both parts) names its viewer at the top and ends with the meeting's correction log.
import MarkdownIt from 'markdown-it';
import type { Strings } from '../i18n';
import { longDate, MEETING_TIME_ZONE } from '../meeting/dates';
import type { RecordChange } from '../meeting/types';
import { renderMarkdown } from './markdown';
import type { MinutesModel } from './model';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
const escapeHtml = md.utils.escapeHtml;

// Links in the minutes (attachments) open outside the page and do not tell the target where they came from.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Only inline styles: the page is served with a CSP that allows no script and nothing from elsewhere. */
const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#242424}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d1d1d1;padding:.3rem .5rem;text-align:left;vertical-align:top}
.draft{background:#fff4ce;border:1px solid #f4c400;padding:.5rem .75rem;border-radius:4px}
.part{border-top:3px solid #5b5fc7;margin-top:2.5rem}nav a{margin-right:1rem}
.confidential{background:#fde7e9;border:2px solid #c00000;color:#a00000;font-weight:700;padding:.5rem .75rem;border-radius:4px}
.changes{border-top:3px solid #c00000;margin-top:2.5rem}.changes td{white-space:pre-wrap}`;

export interface DraftPageInput {
  s: Strings;
  meetingTitle: string;
  models: MinutesModel[];
  /** Download links, relative to the page: one per part. */
  downloads: { part: string; href: string }[];
  adopted: boolean;
  /** When the link stops working, as shown to the reader. */
  expiresAt?: string;
  /**
   * A full-scope page: the viewer it was made for (named at the top) and the meeting's corrections (shown
   * at the end when there are any). Absent for a public page, which shows neither.
   */
  full?: { viewerName: string; changes: RecordChange[] };
}

/** "26 november 2026 om 11:00": a moment as a Dutch (or English) reader in the Netherlands reads it. */
export function dateTime(iso: string, lang: 'nl' | 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: MEETING_TIME_ZONE,
  }).format(date);
}

/** Text as one table cell: escaped; line breaks stay (the cell's style keeps them). */
const cellText = (text: string | undefined) => (text === undefined || text === '' ? '—' : escapeHtml(text));

function changesSection(s: Strings, changes: RecordChange[]): string {
  const p = s.draftPage;
  const c = p.changesColumns;
  const rows = changes.map((change) => {
    // A meeting's fact by its name in the reader's language, a date as a date ("10 oktober 2016").
    const meetingFact = change.kind === 'meeting';
    const label = meetingFact && Object.hasOwn(p.meetingFacts, change.label) ? p.meetingFacts[change.label] : change.label;
    const value = (v: string | undefined) => (meetingFact && change.label === 'date' && v ? longDate(v, s.lang) : v);
    const what = `${p.changeKinds[change.kind]} ${label} ${p.changeTypes[change.change]}`;
    const after = change.change === 'removed' ? undefined : change.after;
    return `<tr><td>${escapeHtml(dateTime(change.at, s.lang))}</td><td>${cellText(change.by.name)}</td><td>${escapeHtml(what)}</td><td>${cellText(value(change.before))}</td><td>${cellText(value(after))}</td></tr>`;
  });
  return `<section class="changes"><h2>${escapeHtml(p.changesTitle)}</h2>
<table><thead><tr><th>${escapeHtml(c.at)}</th><th>${escapeHtml(c.by)}</th><th>${escapeHtml(c.what)}</th><th>${escapeHtml(c.before)}</th><th>${escapeHtml(c.after)}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

export function renderDraftPage({ s, meetingTitle, models, downloads, adopted, expiresAt, full }: DraftPageInput): string {
  const p = s.draftPage;
  const nav = downloads.map((d) => `<a href="${escapeHtml(d.href)}" download>${escapeHtml(p.download(d.part))}</a>`).join('');
  const parts = models.map((m) => `<section class="part">${md.render(renderMarkdown(m))}</section>`).join('\n');
  const scope = full
    ? `<p class="confidential">${escapeHtml(p.confidentialFor(full.viewerName))}. ${escapeHtml(p.fullNotice)}</p>\n`
    : `<p>${escapeHtml(p.publicNotice)}</p>\n`;
  const expiry = expiresAt ? ` ${escapeHtml(full ? p.expiresFull(expiresAt) : p.expires(expiresAt))}` : '';
  const changes = full && full.changes.length > 0 ? `\n${changesSection(s, full.changes)}` : '';
  return `<!doctype html>
<html lang="${s.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(full ? `${p.confidentialFor(full.viewerName)} – ${p.title(meetingTitle)}` : p.title(meetingTitle))}</title>
<style>${STYLE}</style>
</head>
<body>
${scope}<p class="draft">${escapeHtml(p.notice(adopted))}${expiry}</p>
<nav>${nav}</nav>
${parts}${changes}
</body>
</html>
`;
}

/** A short page for a link that opens nothing (expired, forged, or its meeting gone). */
export function renderDraftGone(s: Strings, reason: 'invalid' | 'expired' | 'gone'): string {
  return `<!doctype html>
<html lang="${s.lang}"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(s.draftPage.goneTitle)}</title><style>${STYLE}</style></head>
<body><p class="draft">${escapeHtml(s.draftPage.gone[reason])}</p></body></html>
`;
}
