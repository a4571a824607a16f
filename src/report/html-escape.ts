/**
 * Text from the inputs (log lines, hostnames, interface names) into HTML: every character that can open markup or
 * leave an attribute is an entity, and control characters become visible, so nothing in a log line can become an
 * element, an attribute or a script.
 */
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: unknown): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being neutralised
  return String(s ?? '').replace(/[&<>"'`]/g, (c) => MAP[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
