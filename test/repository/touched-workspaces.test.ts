import { describe, expect, it } from 'vitest';
import { touchedWorkspaces, type WorkspaceFiles } from '../../src/repository/touched-workspaces.js';

// prod and staging call ../modules/network; prod also ../modules/dns; tools is at the root and
// reads a committed state; legacy could not be loaded (no files known).
const WORKSPACES: WorkspaceFiles[] = [
  { name: 'prod', dir: 'infra/prod', files: ['main.tf', 'backend.tf', 'terraform.tfvars', '../modules/network/main.tf', '../modules/network/outputs.tf', '../modules/dns/main.tf'] },
  { name: 'staging', dir: 'infra/staging/', files: ['main.tf', '../modules/network/main.tf', '../modules/network/outputs.tf'] },
  { name: 'tools', dir: '.', files: ['main.tf', 'providers.tf'], statePath: 'state/tools.tfstate' },
  { name: 'legacy', dir: 'legacy', files: [] },
];

describe('touchedWorkspaces', () => {
  it.each([
    ['a root module file', ['infra/prod/main.tf'], ['prod']],
    ['a shared module', ['infra/modules/network/main.tf'], ['prod', 'staging']],
    ['a module only one calls', ['infra/modules/dns/main.tf'], ['prod']],
    ['a file added to a module directory', ['infra/modules/network/variables.tf'], ['prod', 'staging']],
    ['a JSON file added to a root module', ['infra/staging/override.tf.json'], ['staging']],
    ['a variable file of the root module', ['infra/staging/prod.auto.tfvars'], ['staging']],
    ['a variable file in a module directory (Terraform does not read it)', ['infra/modules/network/terraform.tfvars'], []],
    ['the root workspace', ['providers.tf'], ['tools']],
    ['a committed state', ['state/tools.tfstate'], ['tools']],
    ['a .driftignore of one root module', ['infra/prod/.driftignore'], ['prod']],
    ['the repository .driftignore', ['.driftignore'], ['prod', 'staging', 'tools', 'legacy']],
    ['the driftwatch configuration', ['README.md', '.github/driftwatch.yml'], ['prod', 'staging', 'tools', 'legacy']],
    ['anything under a workspace whose files are unknown', ['legacy/sub/thing.txt'], ['legacy']],
    ['documentation', ['README.md', 'docs/architecture.md', 'infra/prod/README.md'], []],
    ['a lock file', ['infra/prod/.terraform.lock.hcl'], []],
    ['a module nobody calls', ['infra/modules/iam/main.tf'], []],
    ['a sibling directory with a shared prefix', ['infra/production/main.tf'], []],
    ['several at once, in workspace order', ['infra/modules/dns/main.tf', 'main.tf', 'infra/staging/main.tf'], ['prod', 'staging', 'tools']],
    ['paths written with ./', ['./infra/prod/main.tf'], ['prod']],
    ['nothing', [], []],
  ])('%s', (_name, changed, touched) => {
    expect(touchedWorkspaces(changed, WORKSPACES)).toEqual(touched);
  });
});
