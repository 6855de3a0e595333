// Generated from this folder's grammar by test/grammars/cst-types.test.ts. Do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface ReportCstNode extends CstNode {
  name: "report";
  children: ReportCstChildren;
}

export type ReportCstChildren = {
  leakReport?: LeakReportCstNode[];
  errorReport?: ErrorReportCstNode[];
  ubsanReport?: UbsanReportCstNode[];
  tsanReport?: TsanReportCstNode[];
};

export interface TsanReportCstNode extends CstNode {
  name: "tsanReport";
  children: TsanReportCstChildren;
}

export type TsanReportCstChildren = {
  TsanSeparator?: IToken[];
  TsanHeader: IToken[];
  stack: StackCstNode[];
  tsanSection?: TsanSectionCstNode[];
  Text?: IToken[];
  Blank?: IToken[];
  ErrorSummary?: IToken[];
};

export interface TsanSectionCstNode extends CstNode {
  name: "tsanSection";
  children: TsanSectionCstChildren;
}

export type TsanSectionCstChildren = {
  TsanStackHeader: IToken[];
  stack: StackCstNode[];
};

export interface UbsanReportCstNode extends CstNode {
  name: "ubsanReport";
  children: UbsanReportCstChildren;
}

export type UbsanReportCstChildren = {
  RuntimeError: IToken[];
  RuntimeNote?: IToken[];
  stack: StackCstNode[];
  ErrorSummary?: IToken[];
};

export interface LeakReportCstNode extends CstNode {
  name: "leakReport";
  children: LeakReportCstChildren;
}

export type LeakReportCstChildren = {
  Separator?: IToken[];
  LeakReportHeader: IToken[];
  Blank?: IToken[];
  TopLeaks?: IToken[];
  leakRecord?: LeakRecordCstNode[];
  suppressionTable?: SuppressionTableCstNode[];
  Omitting?: IToken[];
  LeakSummary?: IToken[];
};

export interface LeakRecordCstNode extends CstNode {
  name: "leakRecord";
  children: LeakRecordCstChildren;
}

export type LeakRecordCstChildren = {
  LeakHeader: IToken[];
  stack: StackCstNode[];
  Blank?: IToken[];
  objectList?: ObjectListCstNode[];
};

export interface ObjectListCstNode extends CstNode {
  name: "objectList";
  children: ObjectListCstChildren;
}

export type ObjectListCstChildren = {
  ObjectsHeader: IToken[];
  ObjectLine?: IToken[];
  Blank?: IToken[];
};

export interface SuppressionTableCstNode extends CstNode {
  name: "suppressionTable";
  children: SuppressionTableCstChildren;
}

export type SuppressionTableCstChildren = {
  SuppressionRule: IToken[];
  SuppressionsUsed: IToken[];
  SuppressionColumns?: IToken[];
  SuppressionRow?: IToken[];
  Blank?: IToken[];
};

export interface ErrorReportCstNode extends CstNode {
  name: "errorReport";
  children: ErrorReportCstChildren;
}

export type ErrorReportCstChildren = {
  DeadlySignal?: IToken[];
  Separator?: IToken[];
  ErrorReportHeader: IToken[];
  AccessLine?: IToken[];
  HeadlineDetail?: IToken[];
  PidMessage?: IToken[];
  stack: StackCstNode[];
  section?: SectionCstNode[];
  ErrorSummary?: IToken[];
  shadow?: ShadowCstNode[];
  auxStack?: AuxStackCstNode[];
  Blank?: IToken[];
};

export interface SectionCstNode extends CstNode {
  name: "section";
  children: SectionCstChildren;
}

export type SectionCstChildren = {
  auxStack?: AuxStackCstNode[];
  description?: DescriptionCstNode[];
  Blank?: IToken[];
  PidMessage?: IToken[];
};

export interface AuxStackCstNode extends CstNode {
  name: "auxStack";
  children: AuxStackCstChildren;
}

export type AuxStackCstChildren = {
  StackHeader: IToken[];
  stack: StackCstNode[];
};

export interface DescriptionCstNode extends CstNode {
  name: "description";
  children: DescriptionCstChildren;
}

export type DescriptionCstChildren = {
  Text: IToken[];
  stack: StackCstNode[];
};

export interface ShadowCstNode extends CstNode {
  name: "shadow";
  children: ShadowCstChildren;
}

export type ShadowCstChildren = {
  ShadowHeader: IToken[];
  ShadowRow?: IToken[];
  LegendHeader?: IToken[];
  LegendRow?: IToken[];
};

export interface StackCstNode extends CstNode {
  name: "stack";
  children: StackCstChildren;
}

export type StackCstChildren = {
  Frame?: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  report(children: ReportCstChildren, param?: IN): OUT;
  tsanReport(children: TsanReportCstChildren, param?: IN): OUT;
  tsanSection(children: TsanSectionCstChildren, param?: IN): OUT;
  ubsanReport(children: UbsanReportCstChildren, param?: IN): OUT;
  leakReport(children: LeakReportCstChildren, param?: IN): OUT;
  leakRecord(children: LeakRecordCstChildren, param?: IN): OUT;
  objectList(children: ObjectListCstChildren, param?: IN): OUT;
  suppressionTable(children: SuppressionTableCstChildren, param?: IN): OUT;
  errorReport(children: ErrorReportCstChildren, param?: IN): OUT;
  section(children: SectionCstChildren, param?: IN): OUT;
  auxStack(children: AuxStackCstChildren, param?: IN): OUT;
  description(children: DescriptionCstChildren, param?: IN): OUT;
  shadow(children: ShadowCstChildren, param?: IN): OUT;
  stack(children: StackCstChildren, param?: IN): OUT;
}
