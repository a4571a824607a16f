/** Report formats and their file extensions: tiny, so commands can declare flags without loading the renderers. */
export const FORMATS = ['text', 'json', 'markdown', 'csv', 'html', 'timesketch', 'l2tcsv', 'svg', 'png'] as const;
export type Format = (typeof FORMATS)[number];
export const EXTENSION: Record<Format, string> = { text: 'txt', json: 'json', markdown: 'md', csv: 'csv', html: 'html', timesketch: 'jsonl', l2tcsv: 'l2t.csv', svg: 'svg', png: 'png' };
/** Formats that hold the one-page brief (first, or alone with --brief); the others are timelines or pictures. */
export const WITH_BRIEF: readonly Format[] = ['text', 'json', 'markdown', 'html'];
