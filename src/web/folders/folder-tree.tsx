import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { FolderIcon } from '../components/ui/icons';
import { useDropTarget } from '../files/drag';
import { folderChildrenQueryOptions } from './api/folders';

export interface FolderTreeProps {
  /** The root folder shown at the top (`media-root` or `visitor-uploads`). */
  rootId: string;
  rootName: string;
  /** The highlighted folder (the current one, or the one picked in a dialog). */
  selectedId: string | null;
  /** Folders to show expanded, e.g. the path to the current folder. */
  expandIds?: readonly string[];
  onSelect: (folder: { id: string; name: string }) => void;
  /** Folders that cannot be chosen (a folder being moved and its subtree): shown, not selectable. */
  disabledIds?: ReadonlySet<string>;
  /** Accept dragged items on nodes. */
  droppable?: boolean;
  label: string;
  /** Shown after the root's name (Visitor Uploads: how many uploads are new). */
  rootBadge?: ReactNode;
}

/**
 * A lazily loaded folder tree (WAI-ARIA tree pattern): children are fetched when a node is expanded; arrow keys
 * move between visible nodes, Right/Left expand and collapse, Enter or Space selects.
 */
export function FolderTree(props: FolderTreeProps) {
  const { rootId, rootName, expandIds = [], label } = props;
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set([rootId, ...expandIds]));
  const [focusId, setFocusId] = useState<string>(props.selectedId ?? rootId);
  const treeRef = useRef<HTMLUListElement>(null);

  // Opening a folder elsewhere (grid, breadcrumb, back button) expands the path to it.
  const expandKey = expandIds.join('/');
  useEffect(() => {
    if (expandIds.length === 0) return;
    setExpanded((current) => {
      if (expandIds.every((id) => current.has(id))) return current;
      return new Set([...current, ...expandIds]);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expandKey]);
  useEffect(() => {
    if (props.selectedId) setFocusId(props.selectedId);
  }, [props.selectedId]);

  const toggle = (id: string, open?: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const tree = treeRef.current;
    const node = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!tree || !node) return;
    const nodes = [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
    const index = nodes.indexOf(node);
    const id = node.dataset.folderId ?? '';
    const focus = (target: HTMLElement | null | undefined) => {
      if (!target) return;
      setFocusId(target.dataset.folderId ?? '');
      target.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        focus(nodes[index + 1]);
        break;
      case 'ArrowUp':
        focus(nodes[index - 1]);
        break;
      case 'Home':
        focus(nodes[0]);
        break;
      case 'End':
        focus(nodes.at(-1));
        break;
      case 'ArrowRight':
        if (!expanded.has(id)) toggle(id, true);
        else focus(node.querySelector<HTMLElement>('[role="treeitem"]'));
        break;
      case 'ArrowLeft':
        if (expanded.has(id) && id !== rootId) toggle(id, false);
        else focus(node.parentElement?.closest<HTMLElement>('[role="treeitem"]'));
        break;
      case 'Enter':
      case ' ':
        if (node.getAttribute('aria-disabled') !== 'true') {
          props.onSelect({ id, name: node.dataset.folderName ?? '' });
        }
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <ul className="tree" role="tree" aria-label={label} ref={treeRef} onKeyDown={onKeyDown}>
      <TreeNode
        id={rootId}
        name={rootName}
        level={1}
        tree={props}
        expanded={expanded}
        focusId={focusId}
        onToggle={toggle}
        onFocus={setFocusId}
      />
    </ul>
  );
}

interface TreeNodeProps {
  id: string;
  name: string;
  level: number;
  tree: FolderTreeProps;
  expanded: ReadonlySet<string>;
  focusId: string;
  onToggle: (id: string) => void;
  onFocus: (id: string) => void;
  disabled?: boolean;
}

function TreeNode({
  id,
  name,
  level,
  tree,
  expanded,
  focusId,
  onToggle,
  onFocus,
  disabled = false,
}: TreeNodeProps) {
  const isExpanded = expanded.has(id);
  const children = useInfiniteQuery({ ...folderChildrenQueryOptions(id), enabled: isExpanded });
  const folders = children.data?.pages.flatMap((page) => page.folders) ?? [];
  const isDisabled = disabled || (tree.disabledIds?.has(id) ?? false);
  const drop = useDropTarget(tree.droppable && !isDisabled ? { id, name } : null);
  const selected = tree.selectedId === id;
  const leaf = isExpanded && children.isSuccess && folders.length === 0 && !children.hasNextPage;

  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-expanded={leaf ? undefined : isExpanded}
      aria-selected={selected}
      aria-disabled={isDisabled || undefined}
      tabIndex={focusId === id ? 0 : -1}
      data-folder-id={id}
      data-folder-name={name}
      className="tree__item"
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocus(id);
      }}
    >
      <div
        className={`tree__row${selected ? ' tree__row--selected' : ''}${drop.active ? ' tree__row--drop' : ''}${isDisabled ? ' tree__row--disabled' : ''}`}
        style={{ paddingLeft: `${(level - 1) * 16 + 4}px` }}
        {...drop.props}
        onClick={() => {
          if (!isDisabled) tree.onSelect({ id, name });
        }}
      >
        <button
          type="button"
          className="tree__toggle"
          tabIndex={-1}
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            onToggle(id);
          }}
        >
          {leaf ? '' : isExpanded ? '▾' : '▸'}
        </button>
        <FolderIcon className="tree__icon" width={18} height={18} />
        <span className="tree__name">{name}</span>
        {level === 1 ? tree.rootBadge : null}
      </div>
      {isExpanded && !leaf ? (
        <ul role="group" className="tree__group">
          {folders.map((folder) => (
            <TreeNode
              key={folder.id}
              id={folder.id}
              name={folder.displayName}
              level={level + 1}
              tree={tree}
              expanded={expanded}
              focusId={focusId}
              onToggle={onToggle}
              onFocus={onFocus}
              disabled={isDisabled}
            />
          ))}
          {children.isPending ? (
            <li role="none" className="tree__note" style={{ paddingLeft: `${level * 16 + 24}px` }}>
              Loading…
            </li>
          ) : null}
          {children.isError ? (
            <li
              role="none"
              className="tree__note tree__note--error"
              style={{ paddingLeft: `${level * 16 + 24}px` }}
            >
              Could not load.{' '}
              <button type="button" className="link-button" onClick={() => void children.refetch()}>
                Retry
              </button>
            </li>
          ) : null}
          {children.hasNextPage ? (
            <li role="none" className="tree__note" style={{ paddingLeft: `${level * 16 + 24}px` }}>
              <button
                type="button"
                className="link-button"
                disabled={children.isFetchingNextPage}
                onClick={() => void children.fetchNextPage()}
              >
                {children.isFetchingNextPage ? 'Loading…' : 'Show more folders'}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}
