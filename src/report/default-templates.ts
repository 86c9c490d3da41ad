// Generated from templates/*.md by test/report/default-templates.test.ts, which fails when the
// two differ: edit the .md files, then run
// `npx vitest run test/report/default-templates.test.ts -u`. The report core does no I/O, so
// the templates reach it as these constants.
export const DEFAULT_TEMPLATES = {
  drift: "#### {{title}}\n\n{{resource}}\n\n{{changes}}\n\n{{facts}}\n\n{{fix}}\n",
  report: "## {{title}}\n\n{{status}}\n\n{{summary}}\n\n{{drifts}}\n\n{{unknown}}\n\n{{notes}}\n",
} as const;
