// Domain refusals and input errors: a code the bot translates into a short reply in the user's language.
export type DomainErrorCode =
  | 'noMeeting'
  | 'meetingOpen'
  | 'meetingClosed'
  | 'notClosed'
  | 'notStarted'
  | 'onlyChairOrSecretary'
  | 'onlySecretary'
  | 'onlyChairSecretaryOrOwner'
  | 'unknownItem'
  | 'noCurrentItem'
  | 'noAgenda'
  | 'duplicateCode'
  | 'itemHasRecords'
  | 'emptyText'
  | 'tooLong'
  | 'tooMany'
  | 'invalidDate'
  | 'invalidTime'
  | 'invalidUrl'
  | 'missingField'
  | 'unknownAction'
  | 'actionAlreadyDone'
  | 'endOfAgenda'
  | 'startOfAgenda'
  | 'staleCard'
  | 'nothingToReopen'
  | 'noMeetingOn'
  | 'dateTaken'
  | 'notCancellable'
  | 'otherRunning'
  | 'minutesAdopted'
  | 'meetingFull'
  | 'unknownRecord'
  | 'onlyChairSecretaryOrAuthor'
  | 'closeFirst'
  | 'unknownLogo';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
