// Renders a MinutesModel as Markdown: the draft card's text and the full text attached to it. Every
// piece of text is escaped, so what a member typed shows verbatim and can never add a heading, link,
// table cell, HTML or a template binding (`${…}`) to the card.
import type { ActionRow, AttachmentRef, Block, ItemRow, MinutesLabels, MinutesModel, Run } from './model';

// Characters with inline meaning anywhere in a line: emphasis, code, links, HTML, tables, strikethrough,
// and braces (so Adaptive Card templating never sees "${").
const INLINE_SIGNIFICANT = /[\\`*_{}[\]<>|~]/g;

/** Escapes one line of text (no line breaks in it). */
function escapeLine(line: string): string {
  let text = line.replace(INLINE_SIGNIFICANT, '\\$&');
  // An entity reference ("&amp;", "&#123;") would otherwise be decoded.
  text = text.replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
  // Constructs that only count at the start of a line: headings, quotes, list markers, rules.
  text = text.replace(/^(\s*)([#+-])(?=\s|$)/, '$1\\$2');
  text = text.replace(/^(\s*)(#{1,6})(?=\s|$)/, '$1\\$2');
  text = text.replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
  text = text.replace(/^(\s*)([=-])(?=[=\-\s]*$)/, '$1\\$2');
  text = text.replace(/!(?=\\\[)/g, '\\!');
  // Leading spaces would start a code block; they carry no meaning in minutes.
  return text.replace(/^\s+/, '');
}

/** Escapes text that may hold line breaks; breaks become hard breaks inside the same paragraph. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => escapeLine(line).replace(/\s+$/, ''))
    .join('  \n');
}

/** For places one line long (headings, table cells, link text): line breaks become spaces. */
function escapeOneLine(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => escapeLine(line).trim())
    .filter((line) => line !== '')
    .join(' ');
}

function renderRun(run: Run): string {
  // Spaces around the text stay outside the emphasis markers, which must hug non-space text.
  const match = /^([ \t]*)([\s\S]*?)([ \t]*)$/.exec(run.text);
  const [lead, core, trail] = match ? [match[1], match[2], match[3]] : ['', run.text, ''];
  const text = escapeMarkdown(core);
  if (text === '' || (!run.bold && !run.italic)) return `${lead}${text}${trail}`;
  const marker = run.bold ? '**' : '*';
  return `${lead}${marker}${text}${marker}${trail}`;
}

function renderRuns(runs: Run[]): string {
  // Leading spaces at the start of a block would turn it into a code block.
  return runs.map(renderRun).join('').trim();
}

/** `ordinal`: a list item's place in its list (0 for a), 1 for b), …). */
function renderBlock(block: Block, ordinal: number): string {
  const text = renderRuns(block.runs);
  // Continuation lines of a bullet or list item are indented so they stay inside it.
  if (block.kind === 'bullet') return `- ${text.replace(/\n/g, '\n  ')}`;
  if (block.kind === 'listItem') {
    // Markdown numbers "1." lists itself; lettered points stay lines of their own ("a\)" is no list).
    const marker = block.list === 'number' ? `${ordinal + 1}.` : `${String.fromCharCode(97 + ordinal)}\\)`;
    return `${marker} ${text.replace(/\n/g, '\n   ')}`;
  }
  return text;
}

/** Only characters that would end or break the link destination are encoded. */
function linkTarget(url: string): string {
  return url.replace(/[\s()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function renderAttachment(attachment: AttachmentRef): string {
  const title = escapeOneLine(attachment.title);
  return attachment.url ? `- [${title}](${linkTarget(attachment.url)})` : `- ${title}`;
}

function renderItem(item: ItemRow, labels: MinutesLabels): string {
  const title = escapeOneLine(item.title);
  const heading = item.code ? `${escapeOneLine(item.code)} — ${title}` : title;
  const parts = [`### ${heading}`];
  // Paragraphs are separated by a blank line; consecutive bullets form one list.
  let previous: Block['kind'] | undefined;
  let ordinal = 0;
  for (const block of item.blocks) {
    ordinal = block.kind === 'listItem' && !block.first ? ordinal + 1 : 0;
    const together = previous === block.kind && (block.kind === 'bullet' || (block.kind === 'listItem' && !block.first));
    // A lettered point ends with a hard break (two spaces), so the next one starts a line of its own.
    const separator = together ? (block.list === 'letter' ? '  \n' : '\n') : '\n\n';
    parts.push(separator, renderBlock(block, ordinal));
    previous = block.kind;
  }
  if (item.attachments.length > 0) {
    parts.push('\n\n', `**${labels.grid.attachments}**`, '\n\n', item.attachments.map(renderAttachment).join('\n'));
  }
  return parts.join('');
}

function renderActions(actions: ActionRow[], labels: MinutesLabels): string {
  const c = labels.actionColumns;
  const rows = actions.map(
    (a) => `| ${[a.number, a.origin, a.text, a.owner, a.due, a.status].map((v) => escapeOneLine(v) || ' ').join(' | ')} |`,
  );
  return [
    `## ${labels.actionList}`,
    '',
    `| ${[c.number, c.origin, c.text, c.owner, c.due, c.status].join(' | ')} |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function renderMarkdown(model: MinutesModel): string {
  const sections = [
    `# ${escapeOneLine(model.title)}`,
    ...(model.confidentialMark ? [`**${escapeOneLine(model.confidentialMark)}**`] : []),
    `**${model.partLabel}**  \n${escapeMarkdown(model.status)}`,
    model.header.map((row) => `**${row.label}:** ${escapeOneLine(row.value)}`).join('  \n'),
    `## ${model.labels.grid.items}`,
    ...model.items.map((item) => renderItem(item, model.labels)),
  ];
  if (model.actions.length > 0) sections.push(renderActions(model.actions, model.labels));
  return `${sections.join('\n\n')}\n`;
}
