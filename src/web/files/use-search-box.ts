import { useEffect, useRef, useState } from 'react';
import { isTyping } from './is-typing';
import type { SetViewState, ViewState } from './view-state';

/**
 * The toolbar's search box: what is typed reaches the URL (and with it the listing) 300 ms after the last key,
 * or at once on Enter; Back/Forward put the URL's search back in the box; `/` anywhere jumps to it.
 */
export function useSearchBox(view: ViewState, setView: SetViewState) {
  const [draft, setDraft] = useState(view.search);
  const ref = useRef<HTMLInputElement>(null);

  useEffect(() => setDraft(view.search), [view.search]);

  useEffect(() => {
    if (draft === view.search) return;
    const timer = setTimeout(() => setView({ search: draft, item: null }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [draft, view.search, setView]);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      if (event.key === '/') {
        event.preventDefault();
        ref.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = () => setView({ search: draft, item: null }, { replace: true });
  return { ref, draft, setDraft, submit };
}

export type SearchBox = ReturnType<typeof useSearchBox>;
