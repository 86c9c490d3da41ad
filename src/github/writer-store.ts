// The part of the store the writer uses: where it remembers issue and pull request numbers, so it
// reads them instead of searching GitHub. Any Store (SQLite, PostgreSQL) is one.
import type { Store } from '../store/types.js';

export type WriterStore = Pick<Store, 'findings' | 'setFindingIssue' | 'fixPr' | 'saveFixPr'>;
