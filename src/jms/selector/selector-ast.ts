/**
 * The syntax tree of a JMS message selector, as the generated parser (selector.peggy) builds it.
 * Each node carries the position of its first character so the static checks (selector-check.ts)
 * can name where a selector is wrong; selector-compile.ts turns a checked tree into closures.
 */

/** Where a node starts in the selector text: 0-based offset, 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/';

export interface IdentifierNode {
  readonly kind: 'identifier';
  readonly name: string;
  readonly at: SourcePosition;
}

export interface StringLiteralNode {
  readonly kind: 'string';
  /** The value, '' escapes already undone. */
  readonly value: string;
  readonly at: SourcePosition;
}

/** An exact numeric literal (Java integer literal syntax): decimal, 0x hex or 0 octal, optional L. */
export interface ExactLiteralNode {
  readonly kind: 'exact';
  /** Signed: a unary minus directly before the literal is folded in, so -9223372036854775808 is in range. */
  readonly value: bigint;
  /** The literal had an L suffix: it is a long even when the value would fit an int. */
  readonly longSuffix: boolean;
  readonly text: string;
  readonly at: SourcePosition;
}

/** An approximate numeric literal (Java floating-point literal syntax): 7E3, 7., .5, 1.5F, 2D. */
export interface ApproximateLiteralNode {
  readonly kind: 'approximate';
  readonly value: number;
  /** An F suffix makes a float; otherwise (no suffix or D) a double. */
  readonly float: boolean;
  readonly text: string;
  readonly at: SourcePosition;
}

export interface BooleanLiteralNode {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly at: SourcePosition;
}

export interface NullLiteralNode {
  readonly kind: 'null';
  readonly at: SourcePosition;
}

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly left: SelectorNode;
  readonly right: SelectorNode;
  readonly at: SourcePosition;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: SelectorNode;
  readonly at: SourcePosition;
}

export interface ComparisonNode {
  readonly kind: 'compare';
  readonly operator: ComparisonOperator;
  readonly left: SelectorNode;
  readonly right: SelectorNode;
  readonly at: SourcePosition;
}

export interface BetweenNode {
  readonly kind: 'between';
  readonly negated: boolean;
  readonly value: SelectorNode;
  readonly low: SelectorNode;
  readonly high: SelectorNode;
  readonly at: SourcePosition;
}

export interface InNode {
  readonly kind: 'in';
  readonly negated: boolean;
  /** The spec allows only an identifier here; the parser accepts any operand and the check says so. */
  readonly value: SelectorNode;
  readonly list: readonly StringLiteralNode[];
  readonly at: SourcePosition;
}

export interface LikeNode {
  readonly kind: 'like';
  readonly negated: boolean;
  /** The spec allows only an identifier here; the parser accepts any operand and the check says so. */
  readonly value: SelectorNode;
  readonly pattern: StringLiteralNode;
  readonly escape: StringLiteralNode | undefined;
  readonly at: SourcePosition;
}

export interface IsNullNode {
  readonly kind: 'isNull';
  readonly negated: boolean;
  readonly value: SelectorNode;
  readonly at: SourcePosition;
}

export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly operator: ArithmeticOperator;
  readonly left: SelectorNode;
  readonly right: SelectorNode;
  readonly at: SourcePosition;
}

export interface UnaryNode {
  readonly kind: 'unary';
  readonly operator: '+' | '-';
  readonly operand: SelectorNode;
  readonly at: SourcePosition;
}

export type LiteralNode = StringLiteralNode | ExactLiteralNode | ApproximateLiteralNode | BooleanLiteralNode | NullLiteralNode;

export type SelectorNode =
  | LiteralNode
  | IdentifierNode
  | LogicalNode
  | NotNode
  | ComparisonNode
  | BetweenNode
  | InNode
  | LikeNode
  | IsNullNode
  | ArithmeticNode
  | UnaryNode;
