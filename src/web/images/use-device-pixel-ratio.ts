import { useEffect, useState } from 'react';

/** `window.devicePixelRatio`, updated when it changes (browser zoom, a window moved to another screen). */
export function useDevicePixelRatio(): number {
  const [dpr, setDpr] = useState(() => (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1));
  useEffect(() => {
    const query = window.matchMedia?.(`(resolution: ${dpr}dppx)`);
    if (!query) return;
    const update = () => setDpr(window.devicePixelRatio || 1);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [dpr]);
  return dpr;
}
