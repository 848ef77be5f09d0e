// The full draft minutes as one HTML page (the target of the draft card's "full text" link): the
// Markdown rendering of each part, turned into HTML by markdown-it with raw HTML off, so member text
// (already Markdown-escaped) stays text. The page has no script and links to the draft .docx files.
import MarkdownIt from 'markdown-it';
import type { Strings } from '../i18n';
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
.part{border-top:3px solid #5b5fc7;margin-top:2.5rem}nav a{margin-right:1rem}`;

export interface DraftPageInput {
  s: Strings;
  meetingTitle: string;
  models: MinutesModel[];
  /** Download links, relative to the page: one per part. */
  downloads: { part: string; href: string }[];
  adopted: boolean;
  /** When the link stops working, as shown to the reader. */
  expiresAt?: string;
}

export function renderDraftPage({ s, meetingTitle, models, downloads, adopted, expiresAt }: DraftPageInput): string {
  const p = s.draftPage;
  const nav = downloads.map((d) => `<a href="${escapeHtml(d.href)}" download>${escapeHtml(p.download(d.part))}</a>`).join('');
  const parts = models.map((m) => `<section class="part">${md.render(renderMarkdown(m))}</section>`).join('\n');
  return `<!doctype html>
<html lang="${s.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(p.title(meetingTitle))}</title>
<style>${STYLE}</style>
</head>
<body>
<p class="draft">${escapeHtml(p.notice(adopted))}${expiresAt ? ` ${escapeHtml(p.expires(expiresAt))}` : ''}</p>
<nav>${nav}</nav>
${parts}
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
