import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Button } from '../components/ui/button';
import { moderationQueryOptions, QUEUE_LIMIT } from './api';

// The review viewer (with the preview and the folder picker) loads when a review starts.
const ReviewViewer = lazy(() => import('./review-viewer').then((m) => ({ default: m.ReviewViewer })));

/**
 * Visitor Uploads' line under the breadcrumb: how many uploads wait for review, and the button that goes through
 * them one by one. The queue is the one known when the review starts: uploads arriving meanwhile wait for the
 * next review.
 */
export function ReviewBar() {
  const { data } = useQuery(moderationQueryOptions(QUEUE_LIMIT));
  const [queue, setQueue] = useState<string[] | null>(null);
  const count = data?.newCount ?? 0;
  return (
    <>
      {count > 0 ? (
        <div className="review-bar">
          <span className="review-bar__text">
            {count === 1 ? '1 new upload waits' : `${count.toLocaleString()} new uploads wait`} for review
          </span>
          <Button variant="primary" onClick={() => setQueue(data?.fileIds ?? [])}>
            Review new uploads
          </Button>
        </div>
      ) : null}
      {queue ? (
        <Suspense fallback={null}>
          <ReviewViewer queue={queue} onClose={() => setQueue(null)} />
        </Suspense>
      ) : null}
    </>
  );
}
