// What the UI may use from the state layer.
export {
  dismissBanner,
  jumpKeyMoment,
  loadScenario,
  pause,
  play,
  runUntil,
  seek,
  seekEdge,
  setSpeed,
  showProcess,
  startApp,
  stepBack,
  stepForward,
  togglePlay,
} from './actions';
export { SPEEDS } from '../worker/protocol';
export { DEFAULT_SCENARIO, formatFragment } from './permalink';
export { useVm, type VmState } from './store';
