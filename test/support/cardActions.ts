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
