// Engine versions: with auto minor version upgrade on, AWS moves 8.0.35 to 8.0.36 by itself and
// that is not drift; a different major version is.

/** "8.0" for MySQL/MariaDB 8.0.35, "15" for PostgreSQL 15.4, "9.6" for PostgreSQL 9.6.24. */
export function majorVersion(engine: string, version: string): string {
  const parts = version.split('.');
  if (engine.startsWith('postgres')) {
    const first = Number(parts[0]);
    return first >= 10 ? String(parts[0]) : parts.slice(0, 2).join('.');
  }
  return parts.slice(0, 2).join('.');
}

/** Whether `live` satisfies the declared version. A declared "8.0" accepts any 8.0.x. */
export function sameEngineVersion(engine: string, declared: string, live: string, autoMinorUpgrade: boolean): boolean {
  if (declared === '' || live === '') return true;
  if (live === declared || live.startsWith(`${declared}.`)) return true;
  if (autoMinorUpgrade) return majorVersion(engine, declared) === majorVersion(engine, live);
  return false;
}
