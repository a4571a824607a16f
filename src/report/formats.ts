/** Report formats and their file extensions: tiny, so commands can declare flags without loading the renderers. */
export const FORMATS = ['text', 'json', 'markdown', 'csv', 'html', 'timesketch', 'l2tcsv'] as const;
export type Format = (typeof FORMATS)[number];
export const EXTENSION: Record<Format, string> = { text: 'txt', json: 'json', markdown: 'md', csv: 'csv', html: 'html', timesketch: 'jsonl', l2tcsv: 'l2t.csv' };
