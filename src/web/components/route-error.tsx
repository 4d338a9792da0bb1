import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';
import { Button } from './ui/button';

/** Shown when a route fails to load or render (the router's errorElement). */
export function RouteError() {
  const error = useRouteError();
  useDocumentTitle('Error');
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Something went wrong.';
  return (
    <main className="page-message" id="main">
      <h1>Something went wrong</h1>
      <p role="alert">{message}</p>
      <div className="page-message__actions">
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
        <Link to="/">Go to Site Files</Link>
      </div>
    </main>
  );
}

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <section className="page-message">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link to="/">Go to Site Files</Link>
    </section>
  );
}
