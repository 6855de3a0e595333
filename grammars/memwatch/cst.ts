// Generated from this folder's grammar by test/grammars/cst-types.test.ts. Do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  header?: HeaderCstNode[];
  statistics?: StatisticsCstNode[];
  unfreedRun?: UnfreedRunCstNode[];
  eventRun?: EventRunCstNode[];
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

export interface UnfreedRunCstNode extends CstNode {
  name: "unfreedRun";
  children: UnfreedRunCstChildren;
}

export type UnfreedRunCstChildren = {
  Unfreed: IToken[];
  DumpCont?: IToken[];
};

export interface EventRunCstNode extends CstNode {
  name: "eventRun";
  children: EventRunCstChildren;
}

export type EventRunCstChildren = {
  Event: IToken[];
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
  unfreedRun(children: UnfreedRunCstChildren, param?: IN): OUT;
  eventRun(children: EventRunCstChildren, param?: IN): OUT;
  single(children: SingleCstChildren, param?: IN): OUT;
}
