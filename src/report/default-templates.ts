// Generated from templates/*.md by test/report/default-templates.test.ts, which fails when the
// two differ: edit the .md files, then run
// `npx vitest run test/report/default-templates.test.ts -u`. The report core does no I/O, so
// the templates reach it as these constants.
export const DEFAULT_TEMPLATES = {
  checkSummary: "{{headline}}\n\n{{collisions}}\n\n{{counts}}\n\n{{workspaces}}\n",
  checkText: "### Drifts\n\n{{drifts}}\n\n{{unread}}\n\n### What you can do\n\n{{actions}}\n",
  dashboardWorkspace: "### {{title}}\n\n{{status}}\n\n{{scanned}}\n\n{{drifts}}\n\n{{actions}}\n",
  dashboard: "## {{title}}\n\n{{overview}}\n\n{{workspaces}}\n\n### Trend\n\n{{trend}}\n\n### How this works\n\n{{help}}\n",
  drift: "#### {{title}}\n\n{{resource}}\n\n{{changes}}\n\n{{facts}}\n\n{{fix}}\n",
  fixPr: "## {{title}}\n\n{{intro}}\n\n### Fixed here\n\n{{fixed}}\n\n### Left out\n\n{{leftOut}}\n\n### Files\n\n{{files}}\n\n### After merging\n\n{{after}}\n\n{{footer}}\n",
  issueDrift: "### {{title}}\n\n{{resource}}\n\n{{facts}}\n\n#### What changed\n\n{{changes}}\n\n#### Who changed it\n\n{{attribution}}\n\n#### How to put it right\n\n{{fix}}\n",
  issue: "## {{heading}}\n\n{{summary}}\n\n{{recurrence}}\n\n{{drifts}}\n\n### What you can do\n\n{{commands}}\n\n{{footer}}\n",
  report: "## {{title}}\n\n{{status}}\n\n{{summary}}\n\n{{drifts}}\n\n{{unknown}}\n\n{{notes}}\n",
} as const;
