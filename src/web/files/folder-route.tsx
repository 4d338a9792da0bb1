import { useParams } from 'react-router';
import { ROOT_FOLDER_IDS } from './api/types';
import { FolderView } from './folder-view';

/** `/` and `/files/:folderId`: the folder comes from the URL. */
export function FolderRoute() {
  const { folderId = ROOT_FOLDER_IDS.media } = useParams();
  return <FolderView key={folderId} folderId={folderId} />;
}
