// GitHub's size limits, checked on every text just before it is sent. The surfaces already
// truncate with a note and a link; this is the last guard, so a body that slipped past them fails
// here with a message naming the surface, instead of as a 422 from GitHub (or, for a check run, a
// silently cut summary).

/** Issue and pull request bodies, and comments. */
export const BODY_LIMIT = 65_536;
/** Check run output summary and text. */
export const CHECK_TEXT_LIMIT = 65_535;
export const CHECK_TITLE_LIMIT = 255;
/** Annotation message and raw_details: 64 KB. */
export const ANNOTATION_TEXT_LIMIT = 65_535;
export const ANNOTATION_TITLE_LIMIT = 255;
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
