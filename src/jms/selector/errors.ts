/**
 * The error a JMS application gets for a selector it cannot use (Jakarta Messaging 3.1, 3.8.1.1:
 * "an InvalidSelectorException is thrown" when a consumer is created with one). Not retriable:
 * the same text fails the same way. The message and the fields name the position (1-based line
 * and column, 0-based offset) and what was expected there.
 */
import { defineErrors } from '../../core/errors.ts';
import type { SourcePosition } from './selector-ast.ts';

export const SelectorErrors = defineErrors({
  BANYAN_ERR_JMS_INVALID_SELECTOR: {
    message: 'invalid JMS message selector %s at line %s, column %s (offset %s): %s',
    retriable: false,
  },
});

/** JMS InvalidSelectorException: code BANYAN_ERR_JMS_INVALID_SELECTOR, with where and why. */
export class InvalidSelectorError extends SelectorErrors.BANYAN_ERR_JMS_INVALID_SELECTOR {
  readonly selector: string;
  readonly position: SourcePosition;
  /** What is wrong at `position`, e.g. `expected "AND" but "OR" found`. */
  readonly reason: string;

  constructor(selector: string, position: SourcePosition, reason: string, cause?: Error) {
    super(JSON.stringify(selector), position.line, position.column, position.offset, reason, ...(cause ? [cause] : []));
    this.name = 'InvalidSelectorError';
    this.selector = selector;
    this.position = position;
    this.reason = reason;
  }
}
