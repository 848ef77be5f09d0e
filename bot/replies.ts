// A turn's answers, sent as TurnContext.sendActivity sends them: the turn's reference applied, a reply to
// its activity (POST v3/conversations/{id}/activities/{replyToId}), signed by the credentials of the turn's
// connector client. Not through that client: botbuilder's generator functions keep each answer and the
// turn around it alive into the old generation (connectorHttp.ts); with edits and answers through the
// bot's own pipeline, the bot at 100 turns a second allocates and promotes a third less. Unlike
// sendActivity it runs no onSendActivities handlers (the bot registers none) and does not buffer answers
// for an ExpectReplies turn (Teams never asks for one): a turn that is not Teams' own goes through the SDK.
import { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { connectorFailure, ConnectorCredentials, ConnectorSend } from './connectorHttp';

export class Replies {
  constructor(private readonly send: ConnectorSend) {}

  /** Sends `activity` in answer to the turn; the id the connector gave the message. */
  async reply(ctx: TurnContext, activity: Partial<Activity>): Promise<string | undefined> {
    const client = ctx.turnState.get<{ credentials?: ConnectorCredentials } | undefined>((ctx.adapter as CloudAdapter).ConnectorClientKey);
    const ref = TurnContext.getConversationReference(ctx.activity);
    const { serviceUrl, conversation } = ref;
    if (!client?.credentials || ctx.activity.deliveryMode === 'expectReplies' || !serviceUrl || !conversation?.id)
      return (await ctx.sendActivity(activity))?.id;
    const out = TurnContext.applyConversationReference({ type: 'message', ...activity }, ref);
    const base = serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
    const to = out.replyToId ? `/${encodeURIComponent(out.replyToId)}` : '';
    const url = `${base}v3/conversations/${encodeURIComponent(conversation.id)}/activities${to}`;
    const response = await this.send({ method: 'POST', url, body: JSON.stringify(out), credentials: client.credentials });
    if (response.status < 200 || response.status >= 300) throw connectorFailure(response);
    ctx.responded = true;
    return idOf(response.bodyAsText);
  }
}

function idOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown })?.id;
    return typeof id === 'string' && id ? id : undefined;
  } catch {
    return undefined;
  }
}
