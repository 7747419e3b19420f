// What the UI may use from the state layer.
export {
  dismissBanner,
  dockTabOf,
  jumpKeyMoment,
  loadScenario,
  openCompareView,
  openImageView,
  openOstepLesson,
  openPolicyView,
  pasteMachineImage,
  pasteOstepProblem,
  pause,
  play,
  runUntil,
  seek,
  seekEdge,
  setCompareProtocols,
  setCompareScenario,
  setPolicyFrames,
  setShortcuts,
  setSpeed,
  showDockTab,
  showProcess,
  startApp,
  stepBack,
  stepForward,
  togglePlay,
} from './actions';
export {
  COMPARE_LESSON,
  DEFAULT_COMPARE_SCENARIO,
  IMAGE_LESSON,
  MAX_IMAGE_PASTE_CHARS,
  MAX_PASTE_CHARS,
  OSTEP_LESSON,
  POLICY_LESSON,
  SPEEDS,
} from '../worker/protocol';
export { DEFAULT_SCENARIO, formatFragment } from './permalink';
export { isCompare, isImage, isOstep, isPolicy, type Position, positionOf } from './position';
export { DOCK_TABS, type DockTab, useVm, type VmState } from './store';
