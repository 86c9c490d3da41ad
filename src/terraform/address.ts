// Resource instance addresses exactly as Terraform prints them, so that an address read from the
// state, typed on the command line or written in a report is the same string everywhere.
import { DriftwatchError } from '../errors.js';

export interface ModuleStep {
  name: string;
  /** count index (number) or for_each key (string) of the module instance; null when neither. */
  key: string | number | null;
}

export interface ResourceAddress {
  modules: ModuleStep[];
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index: string | number | null;
}

// Characters that need more than a copy in Terraform's quoting: quotes, backslashes, template
// introducers and anything outside printable ASCII (checked properly on the slow path).
const NEEDS_ESCAPE = /["\\$%]|[^\x20-\x7e]/;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * Quotes a string the way Terraform's address printer does (HCL quoted-string syntax): `\"`,
 * `\\`, `\n`, `\r`, `\t`, `$${` and `%%{`, and `\uXXXX` / `\UXXXXXXXX` for unprintable runes.
 */
export function quoteHclString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    if (code > 0xffff) i++;
    switch (char) {
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '$':
      case '%':
        out += value[i + 1] === '{' ? char + char : char;
        break;
      default:
        if (PRINTABLE.test(char)) {
          out += char;
        } else if (code < 0x10000) {
          out += `\\u${code.toString(16).padStart(4, '0')}`;
        } else {
          out += `\\U${code.toString(16).padStart(8, '0')}`;
        }
    }
  }
  return `${out}"`;
}

/** `''` without a key, `[0]` for a count index, `["key"]` for a for_each key. */
export function formatInstanceKey(key: string | number | null): string {
  if (key === null) return '';
  if (typeof key === 'number') return `[${key}]`;
  return `[${quoteHclString(key)}]`;
}

/** The inverse of parseAddress. */
export function formatAddress(parts: ResourceAddress): string {
  let out = '';
  for (const step of parts.modules) out += `module.${step.name}${formatInstanceKey(step.key)}.`;
  if (parts.mode === 'data') out += 'data.';
  return `${out}${parts.type}.${parts.name}${formatInstanceKey(parts.index)}`;
}

/**
 * Parses `module.a["x"].module.b[0].aws_instance.web[1]` or `data.aws_iam_policy_document.x`.
 * Throws DriftwatchError('usage') when the text is not a resource instance address.
 */
export function parseAddress(address: string): ResourceAddress {
  const reader = new AddressReader(address);
  const modules: ModuleStep[] = [];
  let mode: 'managed' | 'data' = 'managed';
  for (;;) {
    const word = reader.identifier();
    if (word === 'module') {
      reader.expect('.');
      const name = reader.identifier();
      const key = reader.optionalKey();
      reader.expect('.');
      modules.push({ name, key });
      continue;
    }
    let type = word;
    if (word === 'data') {
      reader.expect('.');
      mode = 'data';
      type = reader.identifier();
    }
    reader.expect('.');
    const name = reader.identifier();
    const index = reader.optionalKey();
    reader.end();
    return { modules, mode, type, name, index };
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const DIGITS = /[0-9]+/y;

class AddressReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  identifier(): string {
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (!match) this.fail('expected a name');
    this.pos += match[0].length;
    return match[0];
  }

  expect(char: string): void {
    if (this.text[this.pos] !== char) this.fail(`expected \`${char}\``);
    this.pos++;
  }

  end(): void {
    if (this.pos !== this.text.length) this.fail('unexpected text after the resource name');
  }

  optionalKey(): string | number | null {
    if (this.text[this.pos] !== '[') return null;
    this.pos++;
    let key: string | number;
    if (this.text[this.pos] === '"') {
      key = this.quoted();
    } else {
      DIGITS.lastIndex = this.pos;
      const match = DIGITS.exec(this.text);
      if (!match) this.fail('expected a number or a quoted key inside `[...]`');
      key = Number(match[0]);
      this.pos += match[0].length;
    }
    this.expect(']');
    return key;
  }

  private quoted(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined) this.fail('unterminated quoted key');
      if (char === '"') {
        this.pos++;
        return out;
      }
      if ((char === '$' || char === '%') && this.text[this.pos + 1] === char && this.text[this.pos + 2] === '{') {
        out += char;
        this.pos += 2;
        continue;
      }
      if (char !== '\\') {
        out += char;
        this.pos++;
        continue;
      }
      out += this.escape();
    }
  }

  private escape(): string {
    const kind = this.text[this.pos + 1];
    this.pos += 2;
    switch (kind) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const length = kind === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + length);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) this.fail('invalid unicode escape');
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) this.fail('invalid unicode escape');
        this.pos += length;
        return String.fromCodePoint(code);
      }
      default:
        this.pos -= 2;
        return this.fail('unknown escape in quoted key');
    }
  }

  private fail(reason: string): never {
    throw new DriftwatchError(
      'usage',
      `"${this.text}" is not a valid Terraform resource address (${reason} at character ${this.pos + 1}). ` +
        'Write it as Terraform prints it, for example aws_instance.web[0] or module.app["blue"].aws_s3_bucket.logs.',
    );
  }
}
