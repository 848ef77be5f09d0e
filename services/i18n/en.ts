// English strings, used when the activity's locale starts with "en". Same shape as nl.ts.
import { nl, Strings } from './nl';

// Filled in by the translation below; until a key is translated the Dutch text is used.
export const en: Strings = { ...nl, lang: 'en' };
