// Real webhook payloads from @octokit/webhooks-examples, deep-copied and adjusted per test (an
// installation id, a default branch, a body): the shapes stay GitHub's own.
import examples from '@octokit/webhooks-examples';

// Payloads are GitHub's JSON: tests reach into them freely, and the functions under test declare
// the fields they read.
type Payload = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function example(name: string, action?: string, index = 0): Payload {
  const event = (examples as unknown as { name: string; examples: Payload[] }[]).find((candidate) => candidate.name === name);
  if (!event) throw new Error(`no webhook example named ${name}`);
  const matching = event.examples.filter((payload: Payload) => action === undefined || payload.action === action);
  const found = matching[index];
  if (!found) throw new Error(`no ${name}${action ? `.${action}` : ''} example #${index}`);
  return structuredClone(found);
}

export const INSTALLATION = { id: 4242, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
