// Cloud data is untrusted text: a tag value can carry terminal escape sequences (clear the
// screen, retitle the window, forge a hyperlink) or bidi overrides that make text read
// differently from what it is. Every renderer passes cloud data through here first.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\u2028\u2029]/g;

/** Removes escape sequences and control characters; keeps newlines (normalized to \n) and tabs. */
export function stripControl(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAK, '\n').replace(CONTROL, '');
}

/** stripControl, then every run of whitespace that holds a line break or tab becomes one space. */
export function toSingleLine(text: string): string {
  return stripControl(text).replace(/[ \t]*[\n\t][\s]*/g, ' ');
}
