// The views other than a scenario: the OSTEP homework, the machine image, page replacement, the
// arch comparison and the protocol comparison. worker.ts loads this module the first time one of
// them opens, so it is a chunk of its own: a scenario's first snapshot does not wait for their
// code to load and run (the image parser's zod schemas among it).
export { archEnd, archRunUntil, archSeek, archView, openArch } from './archCompare';
export { compareView, openCompare } from './compare';
export { imageEnd, imageRunUntil, imageSeek, imageView, openImage } from './image';
export { openOstep, ostepEnd, ostepRunUntil, ostepSeek, ostepView } from './ostep';
export { openPolicy, policyEnd, policyRunUntil, policySeek, policyView } from './policy';
