// What the UI may use from the state layer.
export {
  addBreakpoint,
  dismissBanner,
  dockTabOf,
  jumpKeyMoment,
  loadScenario,
  openArchView,
  openCompareView,
  openImageView,
  openOstepLesson,
  openPolicyView,
  pasteMachineImage,
  pasteOstepProblem,
  parseBreakAddress,
  pause,
  play,
  removeBreakpoint,
  requestHistory,
  runUntil,
  seek,
  seekEdge,
  setArchAccess,
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
  ARCH_LESSON,
  COMPARE_LESSON,
  DEFAULT_COMPARE_SCENARIO,
  IMAGE_LESSON,
  MAX_IMAGE_PASTE_CHARS,
  MAX_PASTE_CHARS,
  OSTEP_LESSON,
  POLICY_LESSON,
  RUN_UNTIL_KINDS,
  type RunUntilKind,
  SPEEDS,
  type Breakpoint,
} from '../worker/protocol';
export { DEFAULT_SCENARIO, formatFragment } from './permalink';
export { isArch, isCompare, isImage, isOstep, isPolicy, type Position, positionOf } from './position';
export { DOCK_TABS, type DockTab, useVm, type VmState } from './store';
export { installTestHooks, useBrokenPanels } from './testHooks';
export { type Theme, useTheme, setTheme, initTheme } from './theme';
export { type HistoryView, useHistory } from './history';
export {
  AREAS,
  type Area,
  collapsedShape,
  fitToRoom,
  gridTracks,
  type Layout,
  limitsOf,
  type Room,
  SPLITS,
  SPLITTER_PX,
  type Split,
  splitActive,
} from './layout';
export {
  collapseArea,
  followLessonLayout,
  layoutOf,
  resetLayout,
  resetSplit,
  resizeSplit,
  useLayout,
} from './layoutStore';
