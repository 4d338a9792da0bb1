import { useParams } from 'react-router';
import { AREAS, type Area } from '../folders/paths';
import { Browser } from './browser';

/** `/`, `/files/:folderId`, `/visitor-uploads/:folderId?`, `/trash/:folderId?`: the folder comes from the URL. */
export function AreaRoute({ area }: { area: Area }) {
  const { folderId = AREAS[area].root } = useParams();
  return <Browser key={area} area={area} folderId={folderId} />;
}
