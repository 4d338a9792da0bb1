// Site Media Manager picker client: `import { openMediaPicker } from 'https://media.example/picker.js'`.
// Hand-written, dependency-free ES module; types in picker.d.ts next to it. Protocol: docs/picker.md.

const BASE = new URL('.', import.meta.url);
const APP_ORIGIN = BASE.origin;

function pickerUrl(options) {
  const url = new URL('picker', BASE);
  url.searchParams.set('origin', window.location.origin);
  if (options.multiple) url.searchParams.set('multiple', '1');
  const types = Array.isArray(options.types) ? options.types.join(',') : options.types;
  if (types) url.searchParams.set('types', String(types).toLowerCase());
  if (options.folder) url.searchParams.set('folder', options.folder);
  // Passed through as given: the picker checks them (and warns in the console when it ignores them).
  const transform = options.transform;
  if (transform && transform.mode) {
    url.searchParams.set('transform', String(transform.mode));
    url.searchParams.set('w', String(transform.width));
    url.searchParams.set('h', String(transform.height));
  }
  return url.href;
}

function iframeShell() {
  const backdrop = document.createElement('div');
  backdrop.setAttribute('data-site-media-picker', '');
  backdrop.style.cssText =
    'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5);display:flex;' +
    'align-items:center;justify-content:center;padding:min(4vh,32px) min(4vw,32px)';
  const frame = document.createElement('iframe');
  frame.title = 'Choose media';
  frame.allow = 'clipboard-read; clipboard-write';
  frame.style.cssText =
    'width:100%;max-width:1200px;height:100%;max-height:860px;border:0;border-radius:8px;' +
    'background:Canvas;box-shadow:0 12px 48px rgba(0,0,0,.35)';
  backdrop.append(frame);
  return { backdrop, frame };
}

/**
 * Opens the picker and resolves with the chosen items; rejects (`error.name === 'AbortError'`) when the user
 * cancels or closes it.
 */
export function openMediaPicker(options = {}) {
  const mode = options.mode === 'popup' ? 'popup' : 'iframe';
  const url = pickerUrl(options);
  return new Promise((resolve, reject) => {
    let target = null;
    let cleanup = () => {};
    const cancelled = () => {
      const error = new Error('The media picker was cancelled');
      error.name = 'AbortError';
      return error;
    };
    let settled = false;
    const finish = (fn) => {
      if (settled) return;
      settled = true;
      window.removeEventListener('message', onMessage);
      cleanup();
      fn();
    };
    function onMessage(event) {
      // Only the picker window we opened, from the media server's origin.
      if (event.origin !== APP_ORIGIN || !target || event.source !== target) return;
      const data = event.data;
      if (!data || typeof data.type !== 'string') return;
      if (data.type === 'site-media:picked') finish(() => resolve(data.items));
      else if (data.type === 'site-media:cancelled') finish(() => reject(cancelled()));
      else if (data.type === 'site-media:ready' && options.onReady) options.onReady();
    }
    window.addEventListener('message', onMessage);

    if (mode === 'popup') {
      const width = Math.min(1200, screen.availWidth - 40);
      const height = Math.min(860, screen.availHeight - 40);
      const popup = window.open(url, 'site-media-picker', `popup,width=${width},height=${height}`);
      if (!popup) {
        window.removeEventListener('message', onMessage);
        reject(new Error('The browser blocked the picker popup: open it from a click'));
        return;
      }
      target = popup;
      // A popup closed with its window button sends nothing. The picker also closes itself right after posting its
      // result, and the browser may report the window closed before that message is delivered here: give a closed
      // popup's last message one more tick to arrive before calling it cancelled.
      const watch = setInterval(() => {
        if (!popup.closed) return;
        clearInterval(watch);
        setTimeout(() => finish(() => reject(cancelled())), 500);
      }, 500);
      cleanup = () => {
        clearInterval(watch);
        if (!popup.closed) popup.close();
      };
      return;
    }

    const { backdrop, frame } = iframeShell();
    const previousFocus = document.activeElement;
    frame.src = url;
    backdrop.addEventListener('click', (event) => {
      if (event.target === backdrop) finish(() => reject(cancelled()));
    });
    document.body.append(backdrop);
    target = frame.contentWindow;
    frame.focus();
    cleanup = () => {
      backdrop.remove();
      if (previousFocus && typeof previousFocus.focus === 'function') previousFocus.focus();
    };
  });
}

/**
 * `<site-media-picker multiple types="image,video" folder="..." mode="popup">Choose image</site-media-picker>`:
 * a button that opens the picker; `change` fires with the chosen items in `event.detail.items` (also in
 * `element.value`).
 */
export class SiteMediaPickerElement extends HTMLElement {
  constructor() {
    super();
    this.value = [];
    const root = this.attachShadow({ mode: 'open' });
    const button = document.createElement('button');
    button.type = 'button';
    button.part = 'button';
    button.append(document.createElement('slot'));
    button.querySelector('slot').textContent = 'Choose media';
    button.addEventListener('click', () => void this.open());
    root.append(button);
  }

  async open() {
    try {
      const items = await openMediaPicker({
        multiple: this.hasAttribute('multiple'),
        types: this.getAttribute('types') ?? undefined,
        folder: this.getAttribute('folder') ?? undefined,
        mode: this.getAttribute('mode') === 'popup' ? 'popup' : 'iframe',
      });
      this.value = items;
      this.dispatchEvent(new CustomEvent('change', { detail: { items }, bubbles: true }));
      return items;
    } catch (error) {
      if (error && error.name === 'AbortError') {
        this.dispatchEvent(new CustomEvent('cancel', { bubbles: true }));
        return null;
      }
      throw error;
    }
  }
}

if (!customElements.get('site-media-picker'))
  customElements.define('site-media-picker', SiteMediaPickerElement);
