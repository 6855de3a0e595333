// Generated from this folder's grammar by test/grammars/cst-types.test.ts. Do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  header?: HeaderCstNode[];
  statistics?: StatisticsCstNode[];
  unfreedEntry?: UnfreedEntryCstNode[];
  single?: SingleCstNode[];
};

export interface HeaderCstNode extends CstNode {
  name: "header";
  children: HeaderCstChildren;
}

export type HeaderCstChildren = {
  Banner?: IToken[];
  headerLine?: HeaderLineCstNode[];
};

export interface HeaderLineCstNode extends CstNode {
  name: "headerLine";
  children: HeaderLineCstChildren;
}

export type HeaderLineCstChildren = {
  Started?: IToken[];
  Modes?: IToken[];
  Sizes?: IToken[];
  Compiled?: IToken[];
};

export interface StatisticsCstNode extends CstNode {
  name: "statistics";
  children: StatisticsCstChildren;
}

export type StatisticsCstChildren = {
  StatsGlobal?: IToken[];
  StatLine?: IToken[];
  detailed?: DetailedCstNode[];
};

export interface DetailedCstNode extends CstNode {
  name: "detailed";
  children: DetailedCstChildren;
}

export type DetailedCstChildren = {
  StatsDetailed: IToken[];
  DetailHeader?: IToken[];
  ModuleRow?: IToken[];
  LineRow?: IToken[];
};

export interface UnfreedEntryCstNode extends CstNode {
  name: "unfreedEntry";
  children: UnfreedEntryCstChildren;
}

export type UnfreedEntryCstChildren = {
  Unfreed: IToken[];
  DumpCont?: IToken[];
};

export interface SingleCstNode extends CstNode {
  name: "single";
  children: SingleCstChildren;
}

export type SingleCstChildren = {
  Stopped?: IToken[];
  Anomalies?: IToken[];
  StderrNotice?: IToken[];
  TraceOverflow?: IToken[];
  StatLine?: IToken[];
  DetailHeader?: IToken[];
  ModuleRow?: IToken[];
  LineRow?: IToken[];
  DumpCont?: IToken[];
  Text?: IToken[];
};

export interface MemwatchCstVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  block(children: BlockCstChildren, param?: IN): OUT;
  header(children: HeaderCstChildren, param?: IN): OUT;
  headerLine(children: HeaderLineCstChildren, param?: IN): OUT;
  statistics(children: StatisticsCstChildren, param?: IN): OUT;
  detailed(children: DetailedCstChildren, param?: IN): OUT;
  unfreedEntry(children: UnfreedEntryCstChildren, param?: IN): OUT;
  single(children: SingleCstChildren, param?: IN): OUT;
}
