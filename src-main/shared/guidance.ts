// The checklist's guidance (root causes, the visit's stages, the next action) for the renderer: pure functions
// of the core, reached through shared/ like every other thing the renderer takes from main.
export { APPLY_FIXES, LATER_STAGES, STAGES, groupProblems, journey, notReadYet } from '../core/problems';
export type { Problem, ProblemAction, Stage, StageState, VisitFacts } from '../core/problems';
