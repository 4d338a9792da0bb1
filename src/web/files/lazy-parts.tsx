import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { onDemandMenu } from '../components/ui/on-demand-menu';
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
