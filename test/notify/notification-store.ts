// Until the store lands on main: the claim and finish half of Store, with the store's contract
// (a key is claimed once). Replaced by the real SQLite store in a temp dir when it lands.
import type { NotificationRecord, Store } from '../../src/store/types.js';

export type NotificationStore = Pick<Store, 'claimNotification' | 'finishNotification'> & { records: Map<string, NotificationRecord> };

export function notificationStore(): NotificationStore {
  const records = new Map<string, NotificationRecord>();
  return {
    records,
    async claimNotification(record) {
      if (records.has(record.key)) return false;
      records.set(record.key, { ...record, status: 'pending', attempts: 0, error: null, sentAt: null });
      return true;
    },
    async finishNotification(key, outcome) {
      const record = records.get(key);
      if (!record) throw new Error(`no claim for ${key}`);
      records.set(key, { ...record, status: outcome.status, attempts: outcome.attempts, error: outcome.error, sentAt: outcome.status === 'sent' ? outcome.at : null });
    },
  };
}
