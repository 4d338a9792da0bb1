import type { QueryClient } from '@tanstack/react-query';
import type { RouteObject } from 'react-router';
import { redirectIfSignedIn, requireSession, SIGN_IN_PATH } from './auth/redirect';
import { SignInPage } from './auth/sign-in-page';
import { AppLayout } from './components/app-layout';
import { NotFoundPage, RouteError } from './components/route-error';
import { LoadingState } from './components/ui/status';
import { AreaRoute } from './files/area-route';
import { PickerPage } from './picker/picker-page';
import { VISITOR_UPLOAD_PATH, VisitorUploadPage } from './visitor/visitor-upload-page';

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
          element: <SignInPage />,
        },
        // The public visitor upload page: no session needed.
        { path: VISITOR_UPLOAD_PATH, element: <VisitorUploadPage /> },
        // The media picker other sites embed (docs/picker.md): signs in in place, no admin frame around it.
        { path: 'picker', element: <PickerPage /> },
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
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ];
}
