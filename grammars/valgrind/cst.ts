// Generated from this folder's grammar by test/grammars/cst-types.test.ts. Do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  item?: ItemCstNode[];
};

export interface ItemCstNode extends CstNode {
  name: "item";
  children: ItemCstChildren;
}

export type ItemCstChildren = {
  errorItem?: ErrorItemCstNode[];
  lossRecordItem?: LossRecordItemCstNode[];
  fatalSignalItem?: FatalSignalItemCstNode[];
  openFdItem?: OpenFdItemCstNode[];
  clientMessageItem?: ClientMessageItemCstNode[];
  strayFrames?: StrayFramesCstNode[];
  singleLine?: SingleLineCstNode[];
};

export interface ErrorItemCstNode extends CstNode {
  name: "errorItem";
  children: ErrorItemCstChildren;
}

export type ErrorItemCstChildren = {
  ErrorHeadline?: IToken[];
  TextLine?: IToken[];
  FrameLine?: IToken[];
  auxEntry?: AuxEntryCstNode[];
};

export interface AuxEntryCstNode extends CstNode {
  name: "auxEntry";
  children: AuxEntryCstChildren;
}

export type AuxEntryCstChildren = {
  AuxLine: IToken[];
  FrameLine?: IToken[];
};

export interface LossRecordItemCstNode extends CstNode {
  name: "lossRecordItem";
  children: LossRecordItemCstChildren;
}

export type LossRecordItemCstChildren = {
  LossRecord: IToken[];
  FrameLine?: IToken[];
  BlockListLine?: IToken[];
};

export interface FatalSignalItemCstNode extends CstNode {
  name: "fatalSignalItem";
  children: FatalSignalItemCstChildren;
}

export type FatalSignalItemCstChildren = {
  FatalSignal: IToken[];
  FrameLine?: IToken[];
  auxEntry?: AuxEntryCstNode[];
  ToolNotice?: IToken[];
};

export interface OpenFdItemCstNode extends CstNode {
  name: "openFdItem";
  children: OpenFdItemCstChildren;
}

export type OpenFdItemCstChildren = {
  OpenFd: IToken[];
  FdInherited?: IToken[];
  FrameLine?: IToken[];
};

export interface ClientMessageItemCstNode extends CstNode {
  name: "clientMessageItem";
  children: ClientMessageItemCstChildren;
}

export type ClientMessageItemCstChildren = {
  ClientMessage: IToken[];
  FrameLine?: IToken[];
};

export interface StrayFramesCstNode extends CstNode {
  name: "strayFrames";
  children: StrayFramesCstChildren;
}

export type StrayFramesCstChildren = {
  FrameLine: IToken[];
};

export interface SingleLineCstNode extends CstNode {
  name: "singleLine";
  children: SingleLineCstChildren;
}

export type SingleLineCstChildren = {
  AuxLine?: IToken[];
  FdInherited?: IToken[];
  ContextHeader?: IToken[];
  ThreadHeader?: IToken[];
  FdSectionHeader?: IToken[];
  HeapSummaryHeader?: IToken[];
  InUseAtExit?: IToken[];
  TotalHeapUsage?: IToken[];
  AllFreed?: IToken[];
  LeakSummaryHeader?: IToken[];
  LeakSummaryLine?: IToken[];
  HeuristicLine?: IToken[];
  ErrorSummary?: IToken[];
  ErrorLimit?: IToken[];
  ToolBanner?: IToken[];
  VersionLine?: IToken[];
  CommandLine?: IToken[];
  ParentPid?: IToken[];
  Hint?: IToken[];
  ToolNotice?: IToken[];
  BlockListLine?: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  block(children: BlockCstChildren, param?: IN): OUT;
  item(children: ItemCstChildren, param?: IN): OUT;
  errorItem(children: ErrorItemCstChildren, param?: IN): OUT;
  auxEntry(children: AuxEntryCstChildren, param?: IN): OUT;
  lossRecordItem(children: LossRecordItemCstChildren, param?: IN): OUT;
  fatalSignalItem(children: FatalSignalItemCstChildren, param?: IN): OUT;
  openFdItem(children: OpenFdItemCstChildren, param?: IN): OUT;
  clientMessageItem(children: ClientMessageItemCstChildren, param?: IN): OUT;
  strayFrames(children: StrayFramesCstChildren, param?: IN): OUT;
  singleLine(children: SingleLineCstChildren, param?: IN): OUT;
}
