/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The interpreter's own compact AST. The ANTLR parse tree from
 * @apexdevtools/apex-parser is converted once into these plain objects
 * (see parse.ts) and cached per file; the interpreter never touches ANTLR.
 */

export interface TypeRef {
  /** name parts as written, e.g. ['Schema', 'SObjectType'] */
  parts: string[];
  /** lower-cased dotted name */
  lname: string;
  args: TypeRef[];
  dims: number;
}

export interface Annotation {
  name: string; // lower-case
  params: Record<string, any>; // lower-case keys → literal values (string/boolean/number)
}

export interface Pos {
  line: number;
  col: number;
}

export interface FieldDecl extends Pos {
  name: string;
  type: TypeRef;
  init: Expr | null;
  isStatic: boolean;
  mods: Set<string>;
  annos: Annotation[];
  /** property accessors (properties only) */
  prop?: { getter: PropAccessor | null; setter: PropAccessor | null };
}

export interface PropAccessor extends Pos {
  body: Stmt | null; // null → auto
  mods: Set<string>;
}

export interface Param {
  name: string;
  type: TypeRef;
}

export interface MethodDecl extends Pos {
  name: string;
  lname: string;
  ret: TypeRef | null; // null → void
  params: Param[];
  body: Stmt | null;
  isStatic: boolean;
  mods: Set<string>;
  annos: Annotation[];
  isCtor?: boolean;
}

export type InitMember = { kind: 'field'; decl: FieldDecl } | { kind: 'block'; body: Stmt };

export interface TypeDecl extends Pos {
  kind: 'class' | 'interface' | 'enum' | 'trigger';
  name: string;
  mods: Set<string>;
  annos: Annotation[];
  ext: TypeRef | null;
  impls: TypeRef[];
  fields: FieldDecl[];
  methods: MethodDecl[];
  ctors: MethodDecl[];
  staticInit: InitMember[];
  instanceInit: InitMember[];
  inners: TypeDecl[];
  enumValues: string[];
  file: string;
  /** trigger only */
  trigger?: { object: string; events: string[]; body: Stmt };
}

export type Stmt = { k: string; line: number; col: number; [key: string]: any };
export type Expr = { k: string; line: number; col: number; [key: string]: any };

export interface ParsedFile {
  file: string;
  types: TypeDecl[];
  /** executable lines (statement starts) for coverage */
  lines: number[];
  /** anonymous apex only */
  anon?: { body: Stmt; decls: TypeDecl };
}
