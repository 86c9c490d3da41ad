// GitHub's size limits, checked on every text just before it is sent. The surfaces already
// truncate with a note and a link; this is the last guard, so a body that slipped past them fails
// here with a message naming the surface, instead of as a 422 from GitHub (or, for a check run, a
// silently cut summary).

// One set of limits: the ones the surfaces truncate to are the ones checked here.
export { ANNOTATION_TITLE_LIMIT, BODY_LIMIT, CHECK_TEXT_LIMIT, CHECK_TITLE_LIMIT } from '../surfaces/limits.js';

/** Annotation message and raw_details: 64 KB (the surfaces cut them by bytes; this guard counts
 * characters, which is never fewer). */
export const ANNOTATION_TEXT_LIMIT = 65_535;
export const ANNOTATIONS_PER_REQUEST = 50;
export const ACTIONS_PER_CHECK_RUN = 3;
export const ACTION_LABEL_LIMIT = 20;
export const ACTION_DESCRIPTION_LIMIT = 40;
export const ACTION_IDENTIFIER_LIMIT = 20;

/** Throws a RangeError naming `what` when `text` is longer than `limit` characters. */
export function assertWithinLimit(text: string, limit: number, what: string): string {
  if (text.length > limit) {
    throw new RangeError(
      `${what} is ${text.length.toLocaleString('en-US')} characters; GitHub accepts at most ${limit.toLocaleString('en-US')}. The surface renderer must truncate it (a driftwatch bug: please report it)`,
    );
  }
  return text;
}
