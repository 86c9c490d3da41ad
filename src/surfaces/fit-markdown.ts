// GitHub refuses a body over its limit, and a body cut anywhere renders as garbage: an open fence
// swallows the rest, an open <details> hides it. fitMarkdown cuts at a line end, closes what the
// cut left open, and says what happened and where the whole report is.

/**
 * `markdown` when it fits in `limit` characters; otherwise its longest prefix of whole lines that
 * fits with the fences and <details> it leaves open closed, then `note`. Lengths are UTF-16 code
 * units, which is never fewer than the characters GitHub counts.
 */
export function fitMarkdown(markdown: string, limit: number, note: string): string {
  if (markdown.length <= limit) return markdown;
  let room = limit - note.length - 2;
  for (;;) {
    const kept = cutAtLine(markdown, Math.max(0, room));
    const closed = closeOpenBlocks(kept);
    const out = closed === '' ? note : `${closed}\n\n${note}`;
    if (out.length <= limit || room <= 0) return out.slice(0, limit);
    room -= out.length - limit;
  }
}

function cutAtLine(text: string, room: number): string {
  const prefix = text.slice(0, room + 1);
  const end = prefix.lastIndexOf('\n');
  if (end >= 0) return prefix.slice(0, end).trimEnd();
  // One line longer than the room: cut it on a code point boundary.
  return Array.from(text.slice(0, room)).slice(0, -1).join('');
}

/** The text with a closing fence for an open code block and </details> for each open one. */
function closeOpenBlocks(text: string): string {
  let fence: string | null = null;
  let details = 0;
  for (const line of text.split('\n')) {
    if (fence !== null) {
      const closing = /^ {0,3}(`+|~+)\s*$/.exec(line)?.[1];
      if (closing !== undefined && closing[0] === fence[0] && closing.length >= fence.length) fence = null;
      continue;
    }
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (opening !== undefined) fence = opening;
    else if (/^\s*<details>\s*$/.test(line)) details += 1;
    else if (/^\s*<\/details>\s*$/.test(line) && details > 0) details -= 1;
  }
  const closers: string[] = [];
  if (fence !== null) closers.push(fence);
  for (let i = 0; i < details; i += 1) closers.push('</details>');
  if (closers.length === 0) return text;
  // A blank line before </details> ends the Markdown block inside it, as GitHub needs.
  return [text, ...closers.map((closer) => (closer === '</details>' ? `\n${closer}` : closer))].join('\n');
}
