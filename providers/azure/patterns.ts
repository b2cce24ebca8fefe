/**
 * Azure operation patterns: `*` is a wildcard anywhere in the string and matching is case-insensitive
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions).
 */
export function operationMatches(pattern: string, operation: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[\\^$.+?()|{}[\]]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(operation);
}
