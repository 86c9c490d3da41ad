import { describe, expect, it } from 'vitest';
import { locateIssues } from '../../src/config/locate-issues.js';

// The org's base file, then the repository's own, merged as Probot's context.config merges them.
const BASE = {
  file: 'acme/.github:.github/driftwatch.yml',
  text: `fail_on: medium
labels:
  - platform
workspaces:
  - name: shared
    dir: infra/shared
notify:
  slack:
    channel: ops
`,
};
const OWN = {
  file: '.github/driftwatch.yml',
  text: `_extends: .github
fail_on: high
workspaces:
  - name: prod
    dir: infra/prod
    schedule: "61 6 * * *"
notify:
  slack:
    min_severity: high
`,
};

describe('locating a problem of a merged configuration', () => {
  it.each([
    [['fail_on'], OWN.file, 2, 'a value set in both comes from the file that wins'],
    [['labels', 0], BASE.file, 3, 'a list only the base sets'],
    [['workspaces', 0, 'name'], BASE.file, 5, 'lists are concatenated: the base items come first'],
    [['workspaces', 1, 'schedule'], OWN.file, 6, 'then the repository items'],
    [['workspaces', 1, 'timezone'], OWN.file, 4, 'a field nobody wrote points at its item'],
    [['notify', 'slack', 'channel'], BASE.file, 9, 'maps are merged: a key only the base has'],
    [['notify', 'slack', 'min_severity'], OWN.file, 9, 'and one the repository adds'],
    [['autofix'], OWN.file, 1, 'a key neither wrote: the repository file'],
  ])('%j is in %s line %i (%s)', (path, file, line) => {
    const [problem] = locateIssues([BASE, OWN], [{ path, message: 'wrong' }]);
    expect(problem).toEqual({ file, line, field: expect.any(String), message: 'wrong' });
  });

  it('names the field as the documentation writes it, and no line for a text it could not read', () => {
    expect(locateIssues([{ file: 'acme/base:.github/driftwatch.yml', text: null }, OWN], [{ path: ['workspaces', 0, 'regions', 1], message: 'bad region' }])).toEqual([
      { file: '.github/driftwatch.yml', line: 4, field: 'workspaces[0].regions[1]', message: 'bad region' },
    ]);
  });
});
