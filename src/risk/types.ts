// Risk facts and the catalog that grades them. Families emit signals (what happened, in
// parameters); the catalog (data) says how bad each is and which controls it maps to.
import type { Severity } from '../drift/types.js';

export interface Signal {
  /** Catalog id, e.g. "sg.world_open_admin_port". */
  id: string;
  /** Values for the title template, e.g. { cidr: "0.0.0.0/0", port: 22 }. */
  params?: Record<string, string | number>;
}

export interface CatalogEntry {
  id: string;
  severity: Severity;
  /** One line a human understands; `{name}` placeholders come from the signal's params. */
  title: string;
  /** CIS AWS Foundations Benchmark v3.0.0 control ids. */
  cis: string[];
  /** MITRE ATT&CK technique ids. */
  mitre: string[];
}
