// Drive items as Graph answers them, and the names SharePoint accepts: small helpers of the SharePoint
// publisher.

export interface DriveItem {
  id: string;
  name: string;
  webUrl: string;
  size?: number;
  quickXorHash?: string;
  isFolder: boolean;
  parentId?: string;
}

/** "<base>" or "<base> (n)", as SharePoint compares names (ignoring case). */
export function isMeetingFolderName(name: string, base: string): boolean {
  const lower = name.toLowerCase();
  const prefix = base.toLowerCase();
  return lower === prefix || (lower.startsWith(prefix) && /^ \(\d+\)$/.test(lower.slice(prefix.length)));
}

/** SharePoint refuses " * : < > ? / \ | in names, and leading/trailing spaces or trailing dots. */
export function safeName(name: string): string {
  return Array.from(name, (ch) => (ch < ' ' ? '-' : ch))
    .join('')
    .replace(/["*:<>?/\\|]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '');
}

export function enc(segment: string): string {
  return encodeURIComponent(segment);
}

export function contentType(name: string): string {
  if (/\.docx$/i.test(name)) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (/\.pdf$/i.test(name)) return 'application/pdf';
  return 'application/octet-stream';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireString(value: unknown, field: string, what: string): string {
  const v = isRecord(value) ? value[field] : undefined;
  if (typeof v !== 'string' || !v) throw new Error(`Graph answered a ${what} without ${field}`);
  return v;
}

export function arrayOf(value: unknown, field: string): unknown[] {
  const v = isRecord(value) ? value[field] : undefined;
  return Array.isArray(v) ? v : [];
}

export function toDriveItem(value: unknown): DriveItem {
  const file = isRecord(value) && isRecord(value.file) ? value.file : undefined;
  const hashes = file && isRecord(file.hashes) ? file.hashes : undefined;
  return {
    id: requireString(value, 'id', 'drive item'),
    name: requireString(value, 'name', 'drive item'),
    webUrl: isRecord(value) && typeof value.webUrl === 'string' ? value.webUrl : '',
    size: isRecord(value) && typeof value.size === 'number' ? value.size : undefined,
    quickXorHash: hashes && typeof hashes.quickXorHash === 'string' ? hashes.quickXorHash : undefined,
    isFolder: isRecord(value) && isRecord(value.folder),
    parentId:
      isRecord(value) && isRecord(value.parentReference) && typeof value.parentReference.id === 'string'
        ? value.parentReference.id
        : undefined,
  };
}

/** "26-" or "26-127" → 26. */
export function firstExpectedOffset(body: unknown): number | undefined {
  const first = arrayOf(body, 'nextExpectedRanges')[0];
  const match = typeof first === 'string' ? /^(\d+)-/.exec(first) : null;
  return match ? Number(match[1]) : undefined;
}
