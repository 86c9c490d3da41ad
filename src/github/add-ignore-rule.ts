// `/drift ignore <pattern> [reason]`: the rule added to .github/driftwatch.yml's `ignore:` list,
// comments and layout of the rest of the file kept (yaml's document model), the reason written as
// the rule's comment. Pure: the text in, the new text out.
import { isSeq, parseDocument, YAMLSeq, Scalar } from 'yaml';
import { DriftwatchError } from '../errors.js';
import { ignoreRulesFromList } from '../drift/ignore.js';

export type IgnoreEdit = { kind: 'added'; text: string } | { kind: 'present' };

export function addIgnoreRule(text: string | null, pattern: string, reason: string | null): IgnoreEdit {
  // The pattern must be one the config accepts, or the pull request would break the config.
  ignoreRulesFromList([pattern], '/drift ignore');
  const document = parseDocument(text ?? '');
  if (document.errors.length > 0) {
    throw new DriftwatchError('config', `.github/driftwatch.yml is not valid YAML (${document.errors[0]!.message.split('\n')[0]}): fix it first, then ask again`);
  }
  if (document.contents === null) document.contents = document.createNode({}) as never;
  const existing = document.get('ignore', true);
  let list: YAMLSeq;
  if (existing === undefined || existing === null) {
    list = new YAMLSeq();
    document.set('ignore', list);
  } else if (isSeq(existing)) {
    list = existing;
  } else {
    throw new DriftwatchError('config', '`ignore` in .github/driftwatch.yml is not a list: make it one (ignore: [<pattern>, …]), then ask again');
  }
  if (list.items.some((item) => (item instanceof Scalar ? item.value : item) === pattern)) return { kind: 'present' };
  const entry = new Scalar(pattern);
  if (reason) entry.comment = ` ${reason.replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
  list.items.push(entry);
  return { kind: 'added', text: document.toString() };
}
