import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { SignOutButton } from '../auth/sign-out-button';
import { LazyShortcutSheet } from '../files/lazy-parts';
import { DragProvider } from '../files/drag';
import { folderPathQueryOptions } from '../folders/api/folders';
import { FolderTree } from '../folders/folder-tree';
import { UploaderProvider } from '../uploads/uploader-context';
import { NewUploadsBadge } from '../moderation/index';
import { CopiesIcon, StorageIcon, TrashIcon } from './ui/icons';
import { AREAS, folderPath, type Area } from '../folders/paths';

/** The area a page belongs to; null for pages of their own (Storage, Duplicates): no folder is current there. */
function areaOf(pathname: string): Area | null {
  if (pathname.startsWith('/visitor-uploads')) return 'visitor';
  if (pathname.startsWith('/trash')) return 'trash';
  if (pathname === '/' || pathname.startsWith('/files/')) return 'files';
  return null;
}

/** The frame of every signed-in page: header, the sidebar (areas and folder trees), then the page. */
export function AppLayout() {
  const [menuOpen, setMenuOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);

  // `?` anywhere (but in a text field or a dialog) opens the shortcut sheet.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)))
        return;
      if (event.key !== '?' || document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      event.preventDefault();
      setShortcutsOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <UploaderProvider>
      <DragProvider>
        <div className="app">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="app-header">
            <button
              type="button"
              className="icon-button app-header__menu"
              aria-expanded={menuOpen}
              aria-controls="sidebar"
              aria-label="Folders and areas"
              onClick={() => setMenuOpen((open) => !open)}
            >
              ☰
            </button>
            <Link className="app-header__brand" to="/">
              Site Media Manager
            </Link>
            <div className="app-header__actions">
              <button
                type="button"
                className="icon-button"
                aria-label="Keyboard shortcuts"
                title="Keyboard shortcuts (?)"
                onClick={() => setShortcutsOpen(true)}
              >
                ?
              </button>
              <SignOutButton />
            </div>
          </header>
          {shortcutsOpen ? <LazyShortcutSheet open={shortcutsOpen} onOpenChange={setShortcutsOpen} /> : null}
          <div className="app-body">
            <Sidebar open={menuOpen} onNavigate={() => setMenuOpen(false)} />
            <main className="app-main" id="main" tabIndex={-1}>
              <Outlet />
            </main>
          </div>
        </div>
      </DragProvider>
    </UploaderProvider>
  );
}

function Sidebar({ open, onNavigate }: { open: boolean; onNavigate: () => void }) {
  const location = useLocation();
  const navigate = useNavigate();
  const { folderId } = useParams();
  const area = areaOf(location.pathname);
  const current = folderId ?? (area ? AREAS[area].root : null);
  const path = useQuery({
    ...folderPathQueryOptions(current ?? AREAS.files.root),
    enabled: folderId !== undefined && area !== null && area !== 'trash',
  });
  const expandIds = path.data?.folders.map((f) => f.id) ?? [];
  const go = (target: Area) => (folder: { id: string }) => {
    onNavigate();
    void navigate(folderPath(target, folder.id));
  };

  return (
    <nav id="sidebar" className={`sidebar${open ? ' sidebar--open' : ''}`} aria-label="Areas and folders">
      <FolderTree
        rootId={AREAS.files.root}
        rootName={AREAS.files.name}
        selectedId={area === 'files' ? current : null}
        expandIds={area === 'files' ? expandIds : []}
        onSelect={go('files')}
        droppable
        label="Site Files folders"
      />
      <FolderTree
        rootId={AREAS.visitor.root}
        rootName={AREAS.visitor.name}
        selectedId={area === 'visitor' ? current : null}
        expandIds={area === 'visitor' ? expandIds : []}
        onSelect={go('visitor')}
        droppable
        label="Visitor Uploads folders"
        rootBadge={<NewUploadsBadge />}
      />
      <NavLink to="/trash" className="sidebar__link" onClick={onNavigate}>
        <TrashIcon width={18} height={18} /> Trash
      </NavLink>
      <NavLink to="/duplicates" className="sidebar__link" onClick={onNavigate}>
        <CopiesIcon width={18} height={18} /> Duplicates
      </NavLink>
      <NavLink to="/storage" className="sidebar__link" onClick={onNavigate}>
        <StorageIcon width={18} height={18} /> Storage
      </NavLink>
    </nav>
  );
}
