import { hmac, safeEqual } from '../secrets.ts';
import { invalid } from '../errors.ts';

/**
 * Opaque paging cursors. A cursor carries the whole listing (which endpoint, filter, sort) and the position
 * after the last item sent, signed so a client can neither forge a filter nor point into another listing.
 * "The cursor is opaque and encodes filter, sort and position, so a request that sends only the cursor gets
 * the next page of the same listing."
 */
export interface CursorState<F> {
  /** The listing the cursor belongs to, e.g. `files.search`. */
  listing: string;
  filter: F;
  sort: { fieldName: string; order: 'ASC' | 'DESC' };
  position: readonly [string | number, string];
}

export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode<F>(state: CursorState<F>): string {
    const body = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${body}.${hmac(this.secret, `cursor:${body}`).slice(0, 22)}`;
  }

  /** Decodes a cursor of the given listing, or throws a 400 naming `field`. */
  decode<F>(cursor: string, listing: string, field: string): CursorState<F> {
    const [body, signature, ...rest] = cursor.split('.');
    if (!body || !signature || rest.length > 0) throw invalid(field, 'is not a valid cursor');
    if (!safeEqual(signature, hmac(this.secret, `cursor:${body}`).slice(0, 22))) {
      throw invalid(field, 'is not a valid cursor');
    }
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorState<F>;
    if (state.listing !== listing) throw invalid(field, `belongs to another listing (${state.listing})`);
    return state;
  }
}
