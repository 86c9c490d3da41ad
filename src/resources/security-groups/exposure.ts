// What a rule opened to the internet exposes, as a risk signal.
import { num } from '../../drift/values.js';
import type { Signal } from '../../risk/types.js';

export const ADMIN_PORTS: Record<number, string> = { 22: 'SSH', 3389: 'RDP', 23: 'Telnet', 5985: 'WinRM', 5986: 'WinRM' };
export const DATABASE_PORTS: Record<number, string> = {
  3306: 'MySQL',
  5432: 'PostgreSQL',
  1433: 'SQL Server',
  1521: 'Oracle',
  27017: 'MongoDB',
  6379: 'Redis',
  9200: 'Elasticsearch',
  5439: 'Redshift',
  11211: 'Memcached',
  9042: 'Cassandra',
  5984: 'CouchDB',
};
const WEB_PORTS = new Set([80, 443]);

/** A signal when an ingress rule view is open to 0.0.0.0/0 or ::/0, else null. */
export function worldOpenSignal(view: Record<string, unknown>): Signal | null {
  const cidr = view.cidr_ipv4 === '0.0.0.0/0' ? '0.0.0.0/0' : view.cidr_ipv6 === '::/0' ? '::/0' : null;
  if (cidr === null) return null;
  const ipv6 = cidr === '::/0';
  const protocol = String(view.protocol ?? '-1');
  if (protocol !== '-1' && protocol !== 'tcp' && protocol !== 'udp') return null;
  const from = num(view.from_port);
  const to = num(view.to_port);
  if (protocol === '-1' || from === null || to === null || (from <= 1 && to >= 65535)) {
    return { id: ipv6 ? 'sg.world_open_all_ports_ipv6' : 'sg.world_open_all_ports', params: { cidr } };
  }
  const admin = portsIn(ADMIN_PORTS, from, to);
  if (admin !== null) return { id: ipv6 ? 'sg.world_open_admin_port_ipv6' : 'sg.world_open_admin_port', params: { cidr, port: admin } };
  const database = portsIn(DATABASE_PORTS, from, to);
  if (database !== null) return { id: 'sg.world_open_database_port', params: { cidr, port: database, service: DATABASE_PORTS[database] ?? 'database' } };
  if (from === to && WEB_PORTS.has(from)) return { id: 'sg.world_open_web_port', params: { cidr, port: from } };
  return { id: 'sg.world_open_port', params: { cidr, port: from === to ? String(from) : `${from}-${to}` } };
}

function portsIn(table: Record<number, string>, from: number, to: number): number | null {
  for (const port of Object.keys(table).map(Number)) if (port >= from && port <= to) return port;
  return null;
}
