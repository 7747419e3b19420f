// Parsers for the OSTEP homework problems as the scripts print them without -c, and for the
// policy script's flags. Input is untrusted: every parser caps its size first and answers with
// { ok: false, error } naming the line (or flag) at fault, never by throwing.
export { parseLinearProblem } from './linearProblem';
export { parseMultilevelProblem } from './multilevelProblem';
export { type PolicyArgsResult, parsePolicyArgs, type ReadFile } from './policyArgs';
export { MAX_PROBLEM_BYTES, type ParseResult } from './text';
