// Walks a card for its actions, as a Teams client would find its buttons.
export interface CardAction {
  type: string;
  title?: string;
  verb?: string;
  data?: unknown;
  card?: unknown;
}

export function findActions(node: unknown, out: CardAction[] = []): CardAction[] {
  if (Array.isArray(node)) {
    node.forEach((n) => findActions(n, out));
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const o = node as Record<string, unknown>;
  if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o as unknown as CardAction);
  for (const k of ['body', 'actions', 'items', 'columns', 'card', 'selectAction', 'inlines']) if (o[k]) findActions(o[k], out);
  return out;
}

/**
 * The banner of a click's answer: the first styled container of the card's body (what happened, or
 * why not) with its text, as the clicker reads it above the card.
 */
export function bannerOf(card: unknown): { style: string; text: string } | undefined {
  let found: { style: string; text: string } | undefined;
  const textOf = (node: unknown, out: string[] = []): string[] => {
    if (Array.isArray(node)) node.forEach((n) => textOf(n, out));
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const k of ['items', 'inlines', 'columns']) if (o[k]) textOf(o[k], out);
    }
    return out;
  };
  const walk = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Record<string, unknown>;
    if (o.type === 'Container' && typeof o.style === 'string' && o.style !== 'default' && o.style !== 'emphasis') {
      const text = textOf(o.items).join('\n');
      if (text) found = { style: o.style, text };
      return;
    }
    for (const k of ['body', 'items', 'columns']) if (o[k]) walk(o[k]);
  };
  walk((card as Record<string, unknown> | undefined)?.body);
  return found;
}
