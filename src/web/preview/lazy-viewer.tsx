import { lazy, Suspense, type ComponentProps } from 'react';

// The full-screen viewer loads when a file is first opened, not with the app's first screen.
const Viewer = lazy(() => import('./viewer').then((m) => ({ default: m.Viewer })));

export function LazyViewer(props: ComponentProps<typeof Viewer>) {
  return (
    <Suspense fallback={null}>
      <Viewer {...props} />
    </Suspense>
  );
}
