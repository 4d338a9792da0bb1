import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useDropTarget } from '../files/drag';
import { folderPathQueryOptions } from './api/folders';
import { AREAS, folderPath, type Area } from './paths';

/** The path from the area's root to the current folder; every crumb navigates and takes dropped items. */
export function Breadcrumb({ area, folderId }: { area: Area; folderId: string }) {
  const root = AREAS[area];
  const path = useQuery({ ...folderPathQueryOptions(folderId), enabled: folderId !== root.root });
  const crumbs = [
    { id: root.root, name: root.name },
    // In Trash, only the trashed part of the path: the live folders above a trashed one list nothing there.
    ...(path.data?.folders ?? [])
      .filter((f) => area !== 'trash' || f.state === 'DELETED')
      .map((f) => ({ id: f.id, name: f.displayName })),
  ];
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        {crumbs.map((crumb, index) => (
          <Crumb
            key={crumb.id}
            area={area}
            crumb={crumb}
            current={index === crumbs.length - 1 && (folderId === root.root || path.isSuccess)}
          />
        ))}
        {path.isPending && folderId !== root.root ? <li aria-hidden="true">…</li> : null}
      </ol>
    </nav>
  );
}

function Crumb({
  area,
  crumb,
  current,
}: {
  area: Area;
  crumb: { id: string; name: string };
  current: boolean;
}) {
  const drop = useDropTarget(area === 'trash' || current ? null : crumb);
  return (
    <li className={drop.active ? 'breadcrumb__drop' : undefined} {...drop.props}>
      {current ? (
        <span aria-current="page">{crumb.name}</span>
      ) : (
        <Link to={folderPath(area, crumb.id)}>{crumb.name}</Link>
      )}
    </li>
  );
}
