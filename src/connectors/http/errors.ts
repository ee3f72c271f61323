/**
 * Error codes of the HTTP delivery target. BANYAN_ERR_HTTP_CONFIG_INVALID is thrown when a target is
 * built from a config that did not pass the spec (spec.ts reports the same problems with
 * file:line:col when a bridge file is loaded). Per-record errors never throw out of `deliver`: their
 * code becomes the `errorClass` of a permanent outcome, so the dead-letter headers name it.
 */
import { defineErrors } from '../../core/errors.ts';

export const HttpErrors = defineErrors({
  BANYAN_ERR_HTTP_CONFIG_INVALID: { message: 'http target %s: %s: %s' },
  BANYAN_ERR_HTTP_FIELD_MISSING: { message: 'event %s: %s needs field "%s", which %s' },
  BANYAN_ERR_HTTP_VALUE_NOT_JSON: { message: 'event %s: %s needs the event\'s fields, but %s' },
  BANYAN_ERR_HTTP_HEADER_VALUE_INVALID: { message: 'event %s: header %s would hold a control character or line break (from field "%s"), which HTTP does not allow in a header value' },
});

export type HttpErrorCode = keyof typeof HttpErrors;
