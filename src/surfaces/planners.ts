// The pure planners, checked against the contract the GitHub writer calls.
import { planDashboard } from './plan-dashboard.js';
import { planFixPr } from './plan-fix-pr.js';
import { planIssues } from './plan-issues.js';
import type { SurfacePlanners } from './types.js';

export const surfacePlanners = { planIssues, planDashboard, planFixPr } satisfies SurfacePlanners;
