// Replies are Teams markdown; what a user typed (a title, a name, an agenda code) goes into them as
// text. These characters would otherwise turn it into emphasis, code, a link, a heading or HTML, and
// Teams hides text between braces in a message.
const SIGNIFICANT = /[\\`*_~[\]<>#|&{}]/g;
const ESCAPED = /\\([\\`*_~[\]<>#|&{}])/g;

/** User text made literal inside a markdown reply (CommonMark backslash escapes). */
export function escapeMarkdownText(text: string): string {
  return text.replace(SIGNIFICANT, '\\$&');
}

/** The same reply for a card's TextRun, which shows text verbatim: the escapes come out again. */
export function unescapeMarkdownText(text: string): string {
  return text.replace(ESCAPED, '$1');
}

/**
 * A reply sentence as a card shows it, in a verbatim TextRun: the escapes come out, and a command in
 * backticks (`agenda`) is shown in quotes, since a card draws no Markdown.
 */
export function plainText(markdown: string): string {
  return unescapeMarkdownText(markdown.replace(/(?<!\\)`([^`]*)`/g, '“$1”'));
}
