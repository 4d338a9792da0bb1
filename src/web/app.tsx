import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { handleSessionExpired } from './auth/session-expiry';
import { apiClient } from './lib/api-client';
import { createQueryClient } from './lib/query-client';
import { createRoutes } from './routes';
import { ToastProvider } from './components/ui/toast';

const queryClient = createQueryClient();
const router = createBrowserRouter(createRoutes(queryClient));
apiClient.setUnauthenticatedHandler(() => handleSessionExpired(queryClient, router));

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  );
}
