// Generated from this folder's grammar by test/grammars/cst-types.test.ts. Do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface BacktraceCstNode extends CstNode {
  name: "backtrace";
  children: BacktraceCstChildren;
}

export type BacktraceCstChildren = {
  FrameLine?: IToken[];
};

export interface ExpiryEntryCstNode extends CstNode {
  name: "expiryEntry";
  children: ExpiryEntryCstChildren;
}

export type ExpiryEntryCstChildren = {
  ExpireFirst: IToken[];
  backtrace: BacktraceCstNode[];
};

export interface NullAllocEntryCstNode extends CstNode {
  name: "nullAllocEntry";
  children: NullAllocEntryCstChildren;
}

export type NullAllocEntryCstChildren = {
  NullAlloc: IToken[];
  backtrace: BacktraceCstNode[];
};

export interface StatsBlockCstNode extends CstNode {
  name: "statsBlock";
  children: StatsBlockCstChildren;
}

export type StatsBlockCstChildren = {
  StatsHead: IToken[];
  StatsExpired?: IToken[];
  StatsAlloc?: IToken[];
  StatsFreedLive?: IToken[];
  StatsUnfreedLive?: IToken[];
  backtrace: BacktraceCstNode[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  backtrace(children: BacktraceCstChildren, param?: IN): OUT;
  expiryEntry(children: ExpiryEntryCstChildren, param?: IN): OUT;
  nullAllocEntry(children: NullAllocEntryCstChildren, param?: IN): OUT;
  statsBlock(children: StatsBlockCstChildren, param?: IN): OUT;
}
