// A decision's outcome, one word per language, declared once: the tags users type (`[akkoord]`), the
// cards, the documents and the SharePoint lists all read it here.
import type { Outcome } from './types';

export const OUTCOMES: readonly Outcome[] = ['agreed', 'agreedWithChanges', 'deferred', 'rejected', 'adopted', 'noted'];

export const OUTCOME_WORDS: Record<Outcome, { nl: string; en: string }> = {
  agreed: { nl: 'akkoord', en: 'agreed' },
  agreedWithChanges: { nl: 'akkoord met wijzigingen', en: 'agreed with changes' },
  deferred: { nl: 'aangehouden', en: 'deferred' },
  rejected: { nl: 'afgewezen', en: 'rejected' },
  adopted: { nl: 'vastgesteld', en: 'adopted' },
  noted: { nl: 'ter kennisgeving', en: 'noted' },
};

export function outcomeWord(outcome: Outcome, lang: 'nl' | 'en' = 'nl'): string {
  return OUTCOME_WORDS[outcome][lang];
}

/** The outcome a typed tag names, in either language ("akkoord", "Agreed"), or undefined. */
export function outcomeOfTag(tag: string): Outcome | undefined {
  const t = tag.trim().toLowerCase();
  return OUTCOMES.find((o) => OUTCOME_WORDS[o].nl === t || OUTCOME_WORDS[o].en === t);
}
