import { useParams } from 'react-router';
import { AREAS, type Area } from '../folders/paths';
import { NewFilesProvider } from '../moderation/index';
import { Browser } from './browser';

/** `/`, `/files/:folderId`, `/visitor-uploads/:folderId?`, `/trash/:folderId?`: the folder comes from the URL. */
export function AreaRoute({ area }: { area: Area }) {
  const { folderId = AREAS[area].root } = useParams();
  const browser = <Browser key={area} area={area} folderId={folderId} />;
  // Visitor Uploads marks the files waiting for review ("New").
  return area === 'visitor' ? <NewFilesProvider>{browser}</NewFilesProvider> : browser;
}
