// `/drift` commands in issue and pull request comments: one per line, anywhere in the comment.
// Lines inside code fences and quotes are not commands (a reply that quotes a command must not
// run it again). Parsing is pure; running them is the command handler's job.
import { parseAddress } from '../terraform/address.js';
import { DriftwatchError } from '../errors.js';

export type DriftCommand =
  | { kind: 'scan'; workspace: string | null }
  | { kind: 'fix'; direction: 'restore' | 'accept'; addresses: string[] }
  | { kind: 'ignore'; pattern: string; reason: string | null }
  | { kind: 'help' };

export interface ParsedCommands {
  commands: DriftCommand[];
  /** Lines that start with /drift but could not be read: the reply is the help text. */
  errors: { line: string; message: string }[];
}

const COMMAND_LINE = /^\/drift(?:\s+(.*))?$/;
const WORKSPACE = /^[A-Za-z0-9_.-]+$/;
/** An unmanaged resource's key, as drift issues show it: `aws_security_group:sg-0abc`. */
const RESOURCE_KEY = /^[a-z][a-z0-9_]*:[^\s:]+$/;

export function parseCommands(body: string): ParsedCommands {
  const commands: DriftCommand[] = [];
  const errors: ParsedCommands['errors'] = [];
  let fence: string | null = null;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const opening = /^(`{3,}|~{3,})/.exec(line);
    if (opening) {
      if (fence === null) fence = opening[1]!;
      else if (line.startsWith(fence) && line.slice(fence.length).trim() === '') fence = null;
      continue;
    }
    if (fence !== null || line.startsWith('>')) continue;
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    try {
      commands.push(parseCommand(match[1]?.trim() ?? ''));
    } catch (error) {
      errors.push({ line, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { commands, errors };
}

function parseCommand(rest: string): DriftCommand {
  const [verb, ...args] = tokens(rest);
  switch (verb) {
    case undefined:
    case 'help':
      if (args.length > 0) throw new DriftwatchError('usage', '/drift help takes no arguments');
      return { kind: 'help' };
    case 'scan':
      if (args.length > 1) throw new DriftwatchError('usage', '/drift scan takes at most one workspace name');
      if (args[0] !== undefined && !WORKSPACE.test(args[0])) throw new DriftwatchError('usage', `"${args[0]}" is not a workspace name (letters, digits, ".", "_", "-")`);
      return { kind: 'scan', workspace: args[0] ?? null };
    case 'fix':
    case 'accept':
      for (const address of args) checkAddress(address);
      return { kind: 'fix', direction: verb === 'fix' ? 'restore' : 'accept', addresses: [...new Set(args)] };
    case 'ignore': {
      const [pattern, ...reason] = args;
      if (pattern === undefined) throw new DriftwatchError('usage', '/drift ignore needs a pattern, e.g. /drift ignore aws_instance.web.tags.Owner managed by the cost tool');
      if (/[\s]/.test(pattern)) throw new DriftwatchError('usage', 'an ignore pattern has no spaces');
      return { kind: 'ignore', pattern, reason: reason.length > 0 ? reason.join(' ') : null };
    }
    default:
      throw new DriftwatchError('usage', `unknown command "/drift ${verb}"`);
  }
}

function checkAddress(address: string): void {
  if (RESOURCE_KEY.test(address)) return;
  try {
    parseAddress(address);
  } catch {
    throw new DriftwatchError('usage', `"${address}" is not a resource address such as aws_security_group.web or module.app.aws_instance.this[0]`);
  }
}

/** Whitespace-separated words; brackets and quotes keep an address such as `x.y["a b"]` whole. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      current += char;
      if (char === '\\') current += text[++index] ?? '';
      else if (char === '"') quoted = false;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === '[') depth += 1;
    else if (char === ']') depth = Math.max(0, depth - 1);
    if (/\s/.test(char) && depth === 0) {
      if (current !== '') out.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current !== '') out.push(current);
  return out;
}

/** The reply to /drift help, an unknown command or bad arguments. */
export function helpText(): string {
  return [
    'driftwatch commands (one per line, in an issue or pull request comment; people with write access):',
    '',
    '| command | what it does |',
    '|---|---|',
    '| `/drift scan [workspace]` | scan now (every workspace, or the one named); on a pull request, rerun its check |',
    '| `/drift fix [address…]` | open a pull request that restores the declared values (every drift, or those named); in a drift issue, that drift |',
    '| `/drift accept [address…]` | open a pull request that codifies the live values (imports for unmanaged resources) |',
    '| `/drift ignore <pattern> [reason]` | open a pull request adding an ignore rule to `.github/driftwatch.yml` |',
    '| `/drift help` | this list |',
  ].join('\n');
}
