// The alias part of a provider configuration address as the state writes it:
//   provider["registry.terraform.io/hashicorp/aws"]            → null
//   provider["registry.terraform.io/hashicorp/aws"].west       → "west"
//   module.net.provider["registry.terraform.io/hashicorp/aws"].west → "west"
//   provider.aws.west (states written by Terraform 0.12)       → "west"

const LEGACY = /(?:^|\.)provider\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)$/;

export function providerAlias(provider: string): string | null {
  const open = provider.lastIndexOf('provider["');
  if (open !== -1) {
    const close = provider.indexOf('"]', open + 10);
    if (close === -1) return null;
    const rest = provider.slice(close + 2);
    return rest.startsWith('.') && rest.length > 1 ? rest.slice(1) : null;
  }
  return LEGACY.exec(provider)?.[1] ?? null;
}
