// Migrations are modules compiled with the app (never files read from disk at run time), so a
// built or bundled app finds them. The migrator runs them in the order of these names.
import type { MigrationProvider } from 'kysely';
import { initialSchema } from './migrations/0001-initial.js';
import type { StoreDialect } from './schema.js';

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001-initial': initialSchema(dialect),
      };
    },
  };
}
