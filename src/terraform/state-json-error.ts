// Where a JSON text stops being valid JSON, as a line and column a person can jump to. V8's
// JSON.parse messages carry a position only for some errors, so jsonc-parser (strict mode) is
// asked as well; this runs only on the failure path, never on a good state.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface JsonErrorPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** The text ends before the JSON value is complete (a cut download or write). */
  truncated: boolean;
  /** What is wrong, in a few words; never quotes the input (it may hold secrets). */
  reason: string;
}

const REASONS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a double-quoted property name',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected `:`',
  CommaExpected: 'expected `,`',
  CloseBraceExpected: 'expected `}`',
  CloseBracketExpected: 'expected `]`',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'control character inside a string',
};

export function jsonErrorPosition(text: string, error: unknown): JsonErrorPosition {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const message = error instanceof Error ? error.message : '';
  const v8 = /^(.*) in JSON at position (\d+)/s.exec(message);
  const offset = v8 ? Number(v8[2]) : (first?.offset ?? text.length);
  const truncated =
    /Unexpected end of JSON input|Unterminated string/.test(message) || offset >= text.trimEnd().length;
  let reason = (first && REASONS[printParseErrorCode(first.error)]) ?? 'invalid JSON';
  if (v8?.[1] && !/["']/.test(v8[1])) reason = v8[1].charAt(0).toLowerCase() + v8[1].slice(1);
  if (truncated) reason = 'the text ends before the JSON value is complete';
  return { ...lineAndColumn(text, offset), truncated, reason };
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
