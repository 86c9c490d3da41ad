// A small evaluator of Terraform configurations, independent of the patch engine: hcl2-parser
// (HashiCorp's parser) reads the file, and the expressions it hands back as "${...}" are
// evaluated here for one instance of a block. It knows the forms the engine writes and the ones
// the tests' configurations use: literals, lists and maps, count.index, each.key, each.value,
// var.*, ==, conditionals (right-associative, as HCL reads them), contains() and lookup().
import { parseHcl2 } from '../../src/patch/hcl2-parse.js';
import type { PathStep } from '../../src/terraform/types.js';

export interface InstanceScope {
  countIndex?: number;
  eachKey?: string;
  eachValue?: unknown;
}

/** What a configuration declares, for one instance of a block at a time. */
export interface Evaluated {
  /** The value written at `path` of `type.name` for one instance; undefined when nothing is
   * written there (a default or computed value). */
  declared(type: string, name: string, path: readonly PathStep[], scope: InstanceScope): unknown;
}

/** Reads a configuration once; `var.*` are the defaults of its variable blocks, then `overrides`. */
export function evaluator(text: string, overrides: Record<string, unknown> = {}): Evaluated {
  const parsed = parseHcl2(text);
  if (parsed === null) throw new Error(`hcl2-parser rejects the configuration:\n${text}`);
  const variables: Record<string, unknown> = {};
  const blocks = (parsed.variable ?? {}) as Record<string, Record<string, unknown>[]>;
  for (const [name, [body]] of Object.entries(blocks)) if (body && 'default' in body) variables[name] = evaluateValue(body.default, {}, {});
  Object.assign(variables, overrides);
  const resources = parsed.resource as Record<string, Record<string, Record<string, unknown>[]>> | undefined;
  return {
    declared(type, name, path, scope) {
      let current: unknown = resources?.[type]?.[name]?.[0];
      if (current === undefined) throw new Error(`no resource ${type}.${name}`);
      for (const step of path) {
        if (current === undefined || current === null) return undefined;
        if (Array.isArray(current)) {
          current = typeof step === 'number' ? current[step] : (current[0] as Record<string, unknown> | undefined)?.[step];
          continue;
        }
        if (typeof current === 'object') {
          const value = (current as Record<string, unknown>)[String(step)];
          current = typeof value === 'string' ? evaluateValue(value, scope, variables) : value;
          continue;
        }
        return undefined;
      }
      return evaluateValue(current, scope, variables);
    },
  };
}

/** A value from hcl2-parser: "${expr}" strings are evaluated, maps and lists element by element. */
export function evaluateValue(value: unknown, scope: InstanceScope, variables: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([\s\S]*)\}$/.exec(value);
    return whole ? evaluateExpression(whole[1] as string, scope, variables) : value;
  }
  if (Array.isArray(value)) return value.map((item) => evaluateValue(item, scope, variables));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, evaluateValue(item, scope, variables)]));
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Token = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'name'; value: string } | { kind: 'punct'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (text.startsWith('==', i) || text.startsWith('!=', i)) {
      tokens.push({ kind: 'punct', value: text.slice(i, i + 2) });
      i += 2;
      continue;
    }
    if ('()[]{},.?:='.includes(char)) {
      tokens.push({ kind: 'punct', value: char });
      i++;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (number && (char !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if (char === '"') {
      let out = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          const next = text[i + 1] as string;
          if (next === 'u' || next === 'U') {
            const width = next === 'u' ? 4 : 8;
            out += String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + width), 16));
            i += 2 + width;
            continue;
          }
          out += ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[next] ?? next;
          i += 2;
          continue;
        }
        if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
          out += `${text[i] as string}{`;
          i += 3;
          continue;
        }
        out += text[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'string', value: out });
      continue;
    }
    throw new Error(`cannot read the expression at "${text.slice(i, i + 20)}"`);
  }
  return tokens;
}

/** Evaluates one expression for an instance. */
export function evaluateExpression(text: string, scope: InstanceScope, variables: Record<string, unknown>): unknown {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (value?: string): boolean => {
    const token = tokens[at];
    return token !== undefined && (value === undefined || (token.kind === 'punct' && token.value === value));
  };
  const expect = (value: string): void => {
    if (!peek(value)) throw new Error(`expected "${value}" in ${text}`);
    at++;
  };
  const expression = (): unknown => {
    const condition = equality();
    if (!peek('?')) return condition;
    at++;
    const yes = expression();
    expect(':');
    const no = expression();
    if (typeof condition !== 'boolean') throw new Error(`the condition of ${text} is not a bool`);
    return condition ? yes : no;
  };
  const equality = (): unknown => {
    const left = postfix();
    if (peek('==') || peek('!=')) {
      const negate = (tokens[at] as Token).value === '!=';
      at++;
      const right = postfix();
      const equal = JSON.stringify(left) === JSON.stringify(right);
      return negate ? !equal : equal;
    }
    return left;
  };
  const postfix = (): unknown => {
    let value = primary();
    for (;;) {
      if (peek('.')) {
        at++;
        const name = tokens[at++];
        if (name?.kind !== 'name') throw new Error(`expected a name in ${text}`);
        value = (value as Record<string, unknown>)[name.value];
      } else if (peek('[')) {
        at++;
        const key = expression();
        expect(']');
        value = Array.isArray(value) ? value[key as number] : (value as Record<string, unknown>)[String(key)];
      } else {
        return value;
      }
    }
  };
  const primary = (): unknown => {
    const token = tokens[at++];
    if (!token) throw new Error(`unexpected end of ${text}`);
    if (token.kind === 'number' || token.kind === 'string') return token.value;
    if (token.kind === 'punct') {
      if (token.value === '(') {
        const inner = expression();
        expect(')');
        return inner;
      }
      if (token.value === '[') {
        const items: unknown[] = [];
        while (!peek(']')) {
          items.push(expression());
          if (peek(',')) at++;
        }
        at++;
        return items;
      }
      if (token.value === '{') {
        const out: Record<string, unknown> = {};
        while (!peek('}')) {
          const key = tokens[at++];
          if (!key || key.kind === 'punct') throw new Error(`expected a key in ${text}`);
          expect('=');
          out[String(key.value)] = expression();
          if (peek(',')) at++;
        }
        at++;
        return out;
      }
      throw new Error(`unexpected "${token.value}" in ${text}`);
    }
    switch (token.value) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'count':
        if (scope.countIndex === undefined) throw new Error('count.index outside a count block');
        return { index: scope.countIndex };
      case 'each':
        if (scope.eachKey === undefined) throw new Error('each outside a for_each block');
        return { key: scope.eachKey, value: scope.eachValue ?? scope.eachKey };
      case 'var':
        return variables;
    }
    if (peek('(')) {
      at++;
      const args: unknown[] = [];
      while (!peek(')')) {
        args.push(expression());
        if (peek(',')) at++;
      }
      at++;
      return call(token.value, args, text);
    }
    throw new Error(`unknown name ${token.value} in ${text}`);
  };
  const value = expression();
  if (at !== tokens.length) throw new Error(`unexpected text after the expression in ${text}`);
  return value;
}

function call(name: string, args: unknown[], text: string): unknown {
  switch (name) {
    case 'contains': {
      const [list, value] = args;
      if (!Array.isArray(list)) throw new Error(`contains() needs a list in ${text}`);
      return list.some((item) => JSON.stringify(item) === JSON.stringify(value));
    }
    case 'lookup': {
      const [map, key, fallback] = args;
      if (!isRecord(map)) throw new Error(`lookup() needs a map in ${text}`);
      // The key argument is a string: count.index converts to one.
      const name = String(key);
      return Object.prototype.hasOwnProperty.call(map, name) ? map[name] : fallback;
    }
    case 'toset':
      return args[0];
    default:
      throw new Error(`the test evaluator does not know ${name}() (in ${text})`);
  }
}
