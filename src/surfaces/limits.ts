// GitHub's size limits for what the surfaces write, and how the surfaces stay under them.

/** Issue and pull request bodies and comments: fewer than 65,536 characters. */
export const BODY_LIMIT = 65_535;
/** Issue titles. */
export const ISSUE_TITLE_LIMIT = 256;
/** Check run output: title 255 characters; summary and text 65,535 each. */
export const CHECK_TITLE_LIMIT = 255;
export const CHECK_TEXT_LIMIT = 65_535;
/** Check run annotations: message and raw_details 64 KB (bytes), title 255 characters. */
export const ANNOTATION_BYTES_LIMIT = 65_536;
export const ANNOTATION_TITLE_LIMIT = 255;
