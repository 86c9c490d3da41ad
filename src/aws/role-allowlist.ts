// Which roles a workspace may make driftwatch assume. A repository names the role in its config,
// so without this list anyone who can push a config could make the app act as any role that
// trusts it (the confused-deputy problem). The operator's list is the only authority.

/** True when the ARN matches a pattern. `*` matches any run of characters without `:` or `/`, so
 * `arn:aws:iam::*:role/driftwatch-reader` covers every account but no other role name or path. */
export function roleAllowed(roleArn: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => patternRegExp(pattern).test(roleArn));
}

function patternRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^:/]*');
  return new RegExp(`^${body}$`);
}
