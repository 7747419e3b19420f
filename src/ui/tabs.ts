// Ids tying the shared panel area's tabs to their panel (WAI-ARIA tabs: aria-controls on the tab,
// aria-labelledby on the panel).
import type { DockTab } from '../state';

export interface TabPanelProps {
  role: 'tabpanel';
  id: string;
  'aria-labelledby': string;
  tabIndex?: number;
}

export const tabId = (t: DockTab): string => `dock-tab-${t}`;
export const tabPanelId = (t: DockTab): string => `dock-panel-${t}`;

export function tabPanelProps(t: DockTab): TabPanelProps {
  return { role: 'tabpanel', id: tabPanelId(t), 'aria-labelledby': tabId(t) };
}
