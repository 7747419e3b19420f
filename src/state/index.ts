// What the UI may use from the state layer.
export {
  dismissBanner,
  dockTabOf,
  jumpKeyMoment,
  loadScenario,
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
  IMAGE_LESSON,
  MAX_IMAGE_PASTE_CHARS,
  MAX_PASTE_CHARS,
  OSTEP_LESSON,
  POLICY_LESSON,
  SPEEDS,
} from '../worker/protocol';
export { DEFAULT_SCENARIO, formatFragment } from './permalink';
export { isImage, isOstep, isPolicy, type Position, positionOf } from './position';
export { DOCK_TABS, type DockTab, useVm, type VmState } from './store';
export { installTestHooks, useBrokenPanels } from './testHooks';
export { type Theme, useTheme, setTheme, initTheme } from './theme';
