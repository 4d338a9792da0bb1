import { Link, Outlet } from 'react-router';
import { SignOutButton } from '../auth/sign-out-button';

/** The frame of every signed-in page: the header with the product name and "Sign out", then the page. */
export function AppLayout() {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link className="app-header__brand" to="/">
          Site Media Manager
        </Link>
        <SignOutButton />
      </header>
      <main className="app-main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
