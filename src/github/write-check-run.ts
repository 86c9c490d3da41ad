// Check runs: created completed (or started in_progress and completed later), with GitHub's limit
// of 50 annotations a request: the first 50 go with the conclusion, each further 50 in an update
// that repeats the output's title, summary and text (GitHub requires title and summary on every
// output, and appends the annotations).
import type { Annotation, CheckAction, DesiredCheckRun } from '../surfaces/types.js';
import {
  ACTION_DESCRIPTION_LIMIT,
  ACTION_IDENTIFIER_LIMIT,
  ACTION_LABEL_LIMIT,
  ACTIONS_PER_CHECK_RUN,
  ANNOTATION_TEXT_LIMIT,
  ANNOTATION_TITLE_LIMIT,
  ANNOTATIONS_PER_REQUEST,
  assertWithinLimit,
  CHECK_TEXT_LIMIT,
  CHECK_TITLE_LIMIT,
} from './github-limits.js';
import type { GitHubSession } from './github-session.js';

export interface StartCheckRunInput {
  name: DesiredCheckRun['name'];
  headSha: string;
  /** What people see while it runs: "Scanning 2 workspaces". */
  title: string;
  summary: string;
}

export interface CheckRunRef {
  id: number;
  url: string;
}

/** Creates the check run in_progress; null when GitHub refused (reported). */
export async function startCheckRun(session: GitHubSession, input: StartCheckRunInput): Promise<CheckRunRef | null> {
  const started = await session.attempt('start-check-run', `check run ${input.name} @ ${input.headSha.slice(0, 7)}`, async () => {
    const output = { title: assertWithinLimit(input.title, CHECK_TITLE_LIMIT, 'check run title'), summary: assertWithinLimit(input.summary, CHECK_TEXT_LIMIT, 'check run summary') };
    const { data } = await session.request('POST /repos/{owner}/{repo}/check-runs', { name: input.name, head_sha: input.headSha, status: 'in_progress', started_at: session.now().toISOString(), output });
    return checkRunRef(data);
  });
  if (started) session.report.checkRun = started;
  return started ?? null;
}

/** Creates the completed check run, or completes `existingId` (one started earlier). */
export async function writeCheckRun(session: GitHubSession, desired: DesiredCheckRun, existingId: number | null): Promise<void> {
  const identity = `check run ${desired.name} @ ${desired.headSha.slice(0, 7)}`;
  const sent = await session.attempt(existingId === null ? 'create-check-run' : 'complete-check-run', identity, async () => {
    const output = checkedOutput(desired);
    const annotations = desired.annotations.map(checkedAnnotation);
    const actions = checkedActions(desired.actions);
    const first = {
      status: 'completed',
      conclusion: desired.conclusion,
      completed_at: session.now().toISOString(),
      output: { ...output, annotations: annotations.slice(0, ANNOTATIONS_PER_REQUEST) },
      actions,
      ...(desired.externalId === undefined ? {} : { external_id: desired.externalId }),
    };
    const { data } =
      existingId === null
        ? await session.request('POST /repos/{owner}/{repo}/check-runs', { name: desired.name, head_sha: desired.headSha, ...first })
        : await session.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { check_run_id: existingId, ...first });
    return { ref: checkRunRef(data), output, annotations };
  });
  if (!sent?.ref) return;
  const { ref, output, annotations } = sent;
  session.report.checkRun = ref;
  session.report.links.push({ kind: 'check-run', action: existingId === null ? 'created' : 'updated', label: `Check run ${desired.name}`, url: ref.url });

  for (let index = ANNOTATIONS_PER_REQUEST; index < annotations.length; index += ANNOTATIONS_PER_REQUEST) {
    const batch = annotations.slice(index, index + ANNOTATIONS_PER_REQUEST);
    await session.attempt('annotate-check-run', `${identity}: annotations ${index + 1}–${index + batch.length}`, () =>
      session.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { check_run_id: ref.id, output: { ...output, annotations: batch } }),
    );
  }
}

function checkedOutput(desired: DesiredCheckRun) {
  return {
    title: assertWithinLimit(desired.output.title, CHECK_TITLE_LIMIT, 'check run title'),
    summary: assertWithinLimit(desired.output.summary, CHECK_TEXT_LIMIT, 'check run summary'),
    text: assertWithinLimit(desired.output.text, CHECK_TEXT_LIMIT, 'check run text'),
  };
}

function checkedAnnotation(annotation: Annotation, index: number): Annotation {
  const where = `annotation ${index + 1} (${annotation.path}:${annotation.start_line})`;
  assertWithinLimit(annotation.message, ANNOTATION_TEXT_LIMIT, `${where} message`);
  assertWithinLimit(annotation.title, ANNOTATION_TITLE_LIMIT, `${where} title`);
  if (annotation.raw_details !== undefined) assertWithinLimit(annotation.raw_details, ANNOTATION_TEXT_LIMIT, `${where} raw_details`);
  const { path, start_line, end_line, annotation_level, message, title, raw_details } = annotation;
  return { path, start_line, end_line, annotation_level, message, title, ...(raw_details === undefined ? {} : { raw_details }) };
}

function checkedActions(actions: CheckAction[]): CheckAction[] {
  if (actions.length > ACTIONS_PER_CHECK_RUN) throw new RangeError(`a check run takes at most ${ACTIONS_PER_CHECK_RUN} actions; the surface asked for ${actions.length}`);
  for (const action of actions) {
    assertWithinLimit(action.label, ACTION_LABEL_LIMIT, `check run action label "${action.label}"`);
    assertWithinLimit(action.description, ACTION_DESCRIPTION_LIMIT, `check run action description "${action.description}"`);
    assertWithinLimit(action.identifier, ACTION_IDENTIFIER_LIMIT, `check run action identifier "${action.identifier}"`);
  }
  return actions;
}

function checkRunRef(data: unknown): CheckRunRef | null {
  const run = (data ?? {}) as { id?: unknown; html_url?: unknown };
  return typeof run.id === 'number' ? { id: run.id, url: typeof run.html_url === 'string' ? run.html_url : '' } : null;
}
