// A turn's answers, sent as TurnContext.sendActivity sends them: the turn's reference applied, a reply to
// its activity (POST v3/conversations/{id}/activities/{replyToId}), signed by the credentials of the turn's
// connector client. Not through that client: botbuilder's generator functions keep each answer and the
// turn around it alive into the old generation (connectorHttp.ts). Unlike sendActivity it runs no
// onSendActivities handlers (the bot registers none); a turn that asks for its answers in the HTTP answer
// (ExpectReplies, which Teams never does), or has no connector client or reference, gets them from the SDK.
import { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { activitiesUrl, ConnectorCredentials, ConnectorSend } from './connectorHttp';

export class Replies {
  constructor(private readonly send: ConnectorSend) {}

  /** Sends `activity` in answer to the turn; the id the connector gave the message. */
  async reply(ctx: TurnContext, activity: Partial<Activity>): Promise<string | undefined> {
    const client = ctx.turnState.get<{ credentials?: ConnectorCredentials } | undefined>((ctx.adapter as CloudAdapter).ConnectorClientKey);
    const ref = TurnContext.getConversationReference(ctx.activity);
    const { serviceUrl, conversation } = ref;
    if (!client?.credentials || ctx.activity.deliveryMode === 'expectReplies' || !serviceUrl || !conversation?.id)
      return (await ctx.sendActivity(activity))?.id;
    // As sendActivities makes it: the reference applied, a message unless typed otherwise, no id of its own.
    const out = TurnContext.applyConversationReference({ ...activity }, ref);
    out.type ||= 'message';
    delete out.id;
    const url = activitiesUrl(serviceUrl, conversation.id, out.replyToId);
    const answer = await this.send({ method: 'POST', url, body: JSON.stringify(out), credentials: client.credentials });
    ctx.responded = true;
    return idOf(answer);
  }

  /** A text answer, as sendActivity(text) sends it. */
  text(ctx: TurnContext, text: string): Promise<string | undefined> {
    return this.reply(ctx, { type: 'message', text, inputHint: 'acceptingInput' });
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
