import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { onDemandMenu } from '../components/ui/on-demand-menu';
import type { Item } from './api/items';
import type { MoreMenuProps } from './toolbar-more-menu';

// Parts of the browser that are not on its first screen load when first shown: the dialogs (with Radix Dialog
// and the folder picker) and the details panel (with the media preview). Each renders nothing while it loads.

function onDemand<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null) {
  const Lazy = lazy(async () => ({ default: await load() })) as unknown as ComponentType<P>;
  return function OnDemand(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}

export const LazyNameDialog = onDemand(async () => (await import('./dialogs')).NameDialog);
export const LazyRenameDialog = onDemand(async () => (await import('./dialogs')).RenameDialog);
export const LazyMoveDialog = onDemand(async () => (await import('./dialogs')).MoveDialog);
export const LazyShortcutSheet = onDemand(async () => (await import('./dialogs')).ShortcutSheet);
export const LazyImportDialog = onDemand(async () => (await import('../uploads/import-dialog')).ImportDialog);
export const LazyConfirmDialog = onDemand(
  async () => (await import('../components/ui/confirm-dialog')).ConfirmDialog,
);
// While the panel loads, its column keeps its place: the grid must not reflow under a click (see selection.spec).
export const LazyInfoPanel = onDemand(
  async () => (await import('./info-panel')).InfoPanel,
  <aside className="info-panel info-panel--empty" aria-label="Details" aria-busy="true" />,
);

// The phone toolbar's "More actions" menu: a stand-in button until Radix's menu has loaded (see onDemandMenu).
export const LazyToolbarMoreMenu = onDemandMenu<MoreMenuProps>(
  async () => (await import('./toolbar-more-menu')).ToolbarMoreMenu,
  () => ({
    className: 'button button--secondary toolbar__more',
    ariaLabel: 'More actions',
    children: <span aria-hidden="true">⋯</span>,
  }),
);

// Trash-only parts (retention rule, where an item came from, when it goes for good) and the confirm dialog's
// "used on site" warning: only the trash and a confirmation need them, not the first screen of a folder.
export const LazyTrashRule = onDemand(async () => (await import('./trash-retention')).TrashRule);
export const LazyTrashedTileMeta = onDemand(async () => (await import('./trash-retention')).TrashedTileMeta);
export const LazyTrashedFrom = onDemand(async () => (await import('./trash-retention')).TrashedFrom);
const TrashedDateCell = onDemand(async () => (await import('./trash-retention')).TrashedDateCell);
/** Until its code loads, the trash date cell shows the date alone. */
export function LazyTrashedDateCell(props: { item: Item; formatted: string }) {
  return (
    <Suspense fallback={<span className="muted">{props.formatted}</span>}>
      <TrashedDateCell {...props} />
    </Suspense>
  );
}
export const LazyUsedOnSiteWarning = onDemand(async () => (await import('./used-on-site')).UsedOnSiteWarning);
