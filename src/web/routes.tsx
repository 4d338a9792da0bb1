import type { QueryClient } from '@tanstack/react-query';
import type { RouteObject } from 'react-router';
import { redirectIfSignedIn, requireSession, SIGN_IN_PATH } from './auth/redirect';
import { AppLayout } from './components/app-layout';
import { NotFoundPage, RouteError } from './components/route-error';
import { LoadingState } from './components/ui/status';
import { AreaRoute } from './files/area-route';

/** The public visitor upload page's path (the page itself loads on demand). */
const VISITOR_UPLOAD_PATH = '/upload';

/** The route tree. Route components stay thin; view state lives in the URL. */
export function createRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      id: 'root',
      errorElement: <RouteError />,
      hydrateFallbackElement: (
        <div className="page-message">
          <LoadingState />
        </div>
      ),
      children: [
        {
          path: SIGN_IN_PATH,
          loader: ({ request }) => redirectIfSignedIn(queryClient, request),
          // Loaded on demand: a signed-in visit never needs the sign-in page.
          lazy: async () => ({ Component: (await import('./auth/sign-in-page')).SignInPage }),
        },
        // The public visitor upload page: no session needed.
        {
          path: VISITOR_UPLOAD_PATH,
          lazy: async () => ({
            Component: (await import('./visitor/visitor-upload-page')).VisitorUploadPage,
          }),
        },
        // The media picker other sites embed (docs/picker.md): signs in in place, no admin frame around it.
        {
          path: 'picker',
          lazy: async () => ({ Component: (await import('./picker/picker-page')).PickerPage }),
        },
        {
          id: 'signed-in',
          loader: ({ request }) => requireSession(queryClient, request),
          element: <AppLayout />,
          children: [
            { index: true, element: <AreaRoute area="files" /> },
            { path: 'files/:folderId', element: <AreaRoute area="files" /> },
            { path: 'visitor-uploads', element: <AreaRoute area="visitor" /> },
            { path: 'visitor-uploads/:folderId', element: <AreaRoute area="visitor" /> },
            { path: 'trash', element: <AreaRoute area="trash" /> },
            { path: 'trash/:folderId', element: <AreaRoute area="trash" /> },
            {
              path: 'duplicates',
              lazy: async () => ({
                Component: (await import('./duplicates/duplicates-page')).DuplicatesPage,
              }),
            },
            // What the files use, and the actions that free space (loaded on demand).
            {
              path: 'storage',
              lazy: async () => ({ Component: (await import('./storage/storage-page')).StoragePage }),
            },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ];
}
