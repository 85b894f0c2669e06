/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * ANTLR parse tree (@apexdevtools/apex-parser) → compact AST (ast.ts).
 * Works on context class names and children so it stays robust across
 * minor grammar revisions.
 */
import { ApexParserFactory, ApexErrorListener } from '@apexdevtools/apex-parser';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import type {
  Annotation,
  Expr,
  FieldDecl,
  MethodDecl,
  ParsedFile,
  Stmt,
  TypeDecl,
  TypeRef,
  InitMember
} from './ast.js';
import { Unsupported, ApexSyntaxError } from './errors.js';

const T_INT = 198;
const T_LONG = 199;
const T_NUMBER = 200;
const T_BOOL = 201;
const T_MLSTRING = 202;
const T_STRING = 203;

const cname = (n: any): string => n?.constructor?.name ?? '';
const kids = (n: any): any[] => n?.children ?? [];
const isTok = (n: any): boolean => n && !n.children && n.symbol !== undefined;
function first(n: any, name: string): any {
  for (const c of kids(n)) if (cname(c) === name) return c;
  return null;
}
function all(n: any, name: string): any[] {
  return kids(n).filter((c) => cname(c) === name);
}
function hasTok(n: any, text: string): boolean {
  const t = text.toLowerCase();
  return kids(n).some((c) => isTok(c) && c.getText().toLowerCase() === t);
}

class Converter {
  lines = new Set<number>();
  constructor(
    public file: string,
    public src: string
  ) {}

  pos(n: any): { line: number; col: number } {
    const t = n.start ?? n.symbol;
    return { line: t?.line ?? 0, col: (t?.column ?? 0) + 1 };
  }
  text(n: any): string {
    // original source text of a rule (keeps whitespace)
    const s = n.start?.start;
    const e = n.stop?.stop;
    if (s === undefined || e === undefined) return n.getText();
    return this.src.substring(s, e + 1);
  }
  unsupported(what: string, n: any): never {
    throw new Unsupported(what, this.file, this.pos(n).line);
  }

  // ---------- types ----------
  typeRef(n: any): TypeRef {
    const names = all(n, 'TypeNameContext');
    const parts: string[] = [];
    let args: TypeRef[] = [];
    for (const tn of names) {
      const c0 = kids(tn)[0];
      parts.push(c0.getText());
      const ta = first(tn, 'TypeArgumentsContext');
      if (ta)
        args = all(first(ta, 'TypeListContext'), 'TypeRefContext').map((t: any) => this.typeRef(t));
    }
    const subs = first(n, 'ArraySubscriptsContext');
    let dims = 0;
    if (subs) dims = kids(subs).filter((c: any) => isTok(c) && c.getText() === '[').length;
    return mkType(parts, args, dims);
  }

  // ---------- modifiers ----------
  mods(list: any[]): { mods: Set<string>; annos: Annotation[] } {
    const mods = new Set<string>();
    const annos: Annotation[] = [];
    for (const m of list) {
      const a = first(m, 'AnnotationContext');
      if (a) annos.push(this.annotation(a));
      else
        mods.add(
          kids(m)
            .map((c: any) => c.getText().toLowerCase())
            .join(' ')
        );
    }
    return { mods, annos };
  }
  annotation(a: any): Annotation {
    const name = (first(a, 'QualifiedNameContext') ?? first(a, 'IdContext'))
      .getText()
      .toLowerCase();
    const params: Record<string, any> = {};
    const pairs = first(a, 'ElementValuePairsContext');
    if (pairs) {
      for (const p of all(pairs, 'ElementValuePairContext')) {
        const key = kids(p)[0].getText().toLowerCase();
        params[key] = this.annoValue(first(p, 'ElementValueContext'));
      }
    } else {
      const v = first(a, 'ElementValueContext');
      if (v) params['value'] = this.annoValue(v);
    }
    return { name, params };
  }
  annoValue(v: any): any {
    const t = v.getText();
    if (/^true$/i.test(t)) return true;
    if (/^false$/i.test(t)) return false;
    if (t.startsWith("'")) return unescapeApex(t.slice(1, -1));
    if (/^-?\d+$/.test(t)) return Number(t);
    return t;
  }

  // ---------- declarations ----------
  typeDecl(n: any, modList: any[]): TypeDecl {
    const { mods, annos } = this.mods(modList);
    const cd =
      first(n, 'ClassDeclarationContext') ?? (cname(n) === 'ClassDeclarationContext' ? n : null);
    const ed =
      first(n, 'EnumDeclarationContext') ?? (cname(n) === 'EnumDeclarationContext' ? n : null);
    const id =
      first(n, 'InterfaceDeclarationContext') ??
      (cname(n) === 'InterfaceDeclarationContext' ? n : null);
    const td: TypeDecl = {
      kind: 'class',
      name: '',
      mods,
      annos,
      ext: null,
      impls: [],
      fields: [],
      methods: [],
      ctors: [],
      staticInit: [],
      instanceInit: [],
      inners: [],
      enumValues: [],
      file: this.file,
      ...this.pos(n)
    };
    if (cd) {
      td.name = first(cd, 'IdContext').getText();
      Object.assign(td, this.pos(cd));
      let sawExtends = false;
      for (const c of kids(cd)) {
        if (isTok(c) && c.getText().toLowerCase() === 'extends') sawExtends = true;
        if (cname(c) === 'TypeRefContext' && sawExtends) td.ext = this.typeRef(c);
        if (cname(c) === 'TypeListContext')
          td.impls = all(c, 'TypeRefContext').map((t: any) => this.typeRef(t));
      }
      this.classBody(first(cd, 'ClassBodyContext'), td);
    } else if (ed) {
      td.kind = 'enum';
      td.name = first(ed, 'IdContext').getText();
      Object.assign(td, this.pos(ed));
      const consts = first(ed, 'EnumConstantsContext');
      if (consts) td.enumValues = all(consts, 'IdContext').map((i: any) => i.getText());
    } else if (id) {
      td.kind = 'interface';
      td.name = first(id, 'IdContext').getText();
      Object.assign(td, this.pos(id));
      const tl = first(id, 'TypeListContext');
      if (tl) td.impls = all(tl, 'TypeRefContext').map((t: any) => this.typeRef(t));
      const body = first(id, 'InterfaceBodyContext');
      for (const m of all(body, 'InterfaceMethodDeclarationContext')) {
        const md = this.method(m, all(m, 'ModifierContext'));
        md.mods.add('abstract');
        td.methods.push(md);
      }
    } else this.unsupported('declaration ' + cname(n), n);
    return td;
  }

  classBody(body: any, td: TypeDecl): void {
    for (const d of all(body, 'ClassBodyDeclarationContext')) {
      const blk = first(d, 'BlockContext');
      if (blk) {
        const isStatic = hasTok(d, 'static');
        const b = this.block(blk);
        (isStatic ? td.staticInit : td.instanceInit).push({ kind: 'block', body: b });
        continue;
      }
      const md = first(d, 'MemberDeclarationContext');
      if (!md) continue;
      this.member(md, all(d, 'ModifierContext'), td);
    }
  }

  member(md: any, modList: any[], td: TypeDecl): void {
    const m = kids(md)[0];
    switch (cname(m)) {
      case 'MethodDeclarationContext':
        td.methods.push(this.method(m, modList));
        return;
      case 'ConstructorDeclarationContext': {
        const { mods, annos } = this.mods(modList);
        const params = this.params(first(m, 'FormalParametersContext'));
        td.ctors.push({
          name: '<init>',
          lname: '<init>',
          ret: null,
          params,
          body: this.block(first(m, 'BlockContext')),
          isStatic: false,
          mods,
          annos,
          isCtor: true,
          ...this.pos(m)
        });
        return;
      }
      case 'ClassDeclarationContext':
      case 'InterfaceDeclarationContext':
      case 'EnumDeclarationContext':
        td.inners.push(this.typeDecl(m, modList));
        return;
      case 'FieldDeclarationContext': {
        const { mods, annos } = this.mods(modList);
        const type = this.typeRef(first(m, 'TypeRefContext'));
        const isStatic = mods.has('static');
        for (const vd of all(first(m, 'VariableDeclaratorsContext'), 'VariableDeclaratorContext')) {
          const exprN = kids(vd).find((c: any) => cname(c).endsWith('ExpressionContext'));
          const f: FieldDecl = {
            name: first(vd, 'IdContext').getText(),
            type,
            init: exprN ? this.expr(exprN) : null,
            isStatic,
            mods,
            annos,
            ...this.pos(vd)
          };
          if (f.init) this.lines.add(f.line);
          td.fields.push(f);
          const im: InitMember = { kind: 'field', decl: f };
          (isStatic ? td.staticInit : td.instanceInit).push(im);
        }
        return;
      }
      case 'PropertyDeclarationContext': {
        const { mods, annos } = this.mods(modList);
        const type = this.typeRef(first(m, 'TypeRefContext'));
        const f: FieldDecl = {
          name: first(m, 'IdContext').getText(),
          type,
          init: null,
          isStatic: mods.has('static'),
          mods,
          annos,
          prop: { getter: null, setter: null },
          ...this.pos(m)
        };
        for (const pb of all(m, 'PropertyBlockContext')) {
          const pm = this.mods(all(pb, 'ModifierContext')).mods;
          const g = first(pb, 'GetterContext');
          const s = first(pb, 'SetterContext');
          const acc = g ?? s;
          const blk = first(acc, 'BlockContext');
          const a = { body: blk ? this.block(blk) : null, mods: pm, ...this.pos(acc) };
          if (g) f.prop!.getter = a;
          else f.prop!.setter = a;
        }
        td.fields.push(f);
        (f.isStatic ? td.staticInit : td.instanceInit).push({ kind: 'field', decl: f });
        return;
      }
      default:
        this.unsupported('member ' + cname(m), m);
    }
  }

  method(m: any, modList: any[]): MethodDecl {
    const { mods, annos } = this.mods(modList);
    const tr = first(m, 'TypeRefContext');
    const blk = first(m, 'BlockContext');
    const name = first(m, 'IdContext').getText();
    return {
      name,
      lname: name.toLowerCase(),
      ret: tr ? this.typeRef(tr) : null,
      params: this.params(first(m, 'FormalParametersContext')),
      body: blk ? this.block(blk) : null,
      isStatic: mods.has('static'),
      mods,
      annos,
      ...this.pos(m)
    };
  }

  params(fp: any): { name: string; type: TypeRef }[] {
    const list = first(fp, 'FormalParameterListContext');
    if (!list) return [];
    return all(list, 'FormalParameterContext').map((p: any) => ({
      name: first(p, 'IdContext').getText(),
      type: this.typeRef(first(p, 'TypeRefContext'))
    }));
  }

  // ---------- statements ----------
  block(b: any): Stmt {
    const body = all(b, 'StatementContext').map((s: any) => this.stmt(s));
    return {
      k: 'block',
      // a block needs its own variable scope only when it declares variables
      hasDecl: body.some((st: Stmt) => st.k === 'local'),
      body,
      ...this.pos(b)
    };
  }

  stmt(s: any): Stmt {
    const n = cname(s) === 'StatementContext' ? kids(s)[0] : s;
    const p = this.pos(n);
    const name = cname(n);
    // executable lines: statement starts (a `try {` line holds no code of its own)
    if (name !== 'BlockContext' && name !== 'TryStatementContext') this.lines.add(p.line);
    switch (name) {
      case 'BlockContext':
        return this.block(n);
      case 'LocalVariableDeclarationStatementContext':
        return this.localDecl(first(n, 'LocalVariableDeclarationContext'));
      case 'ExpressionStatementContext':
        return { k: 'expr', e: this.expr(kids(n)[0]), ...p };
      case 'IfStatementContext': {
        const ss = all(n, 'StatementContext');
        return {
          k: 'if',
          cond: this.expr(kids(first(n, 'ParExpressionContext'))[1]),
          then: this.stmt(ss[0]),
          else: ss[1] ? this.stmt(ss[1]) : null,
          ...p
        };
      }
      case 'WhileStatementContext': {
        const st = first(n, 'StatementContext');
        return {
          k: 'while',
          cond: this.expr(kids(first(n, 'ParExpressionContext'))[1]),
          body: st ? this.stmt(st) : { k: 'block', body: [], ...p },
          ...p
        };
      }
      case 'DoWhileStatementContext':
        return {
          k: 'do',
          body: this.block(first(n, 'BlockContext')),
          cond: this.expr(kids(first(n, 'ParExpressionContext'))[1]),
          ...p
        };
      case 'ForStatementContext': {
        const fc = first(n, 'ForControlContext');
        const st = first(n, 'StatementContext');
        const body = st ? this.stmt(st) : { k: 'block', body: [], ...p };
        const efc = first(fc, 'EnhancedForControlContext');
        if (efc) {
          return {
            k: 'foreach',
            type: this.typeRef(first(efc, 'TypeRefContext')),
            name: first(efc, 'IdContext').getText().toLowerCase(),
            iter: this.expr(kids(efc).find((c: any) => cname(c).endsWith('ExpressionContext'))),
            body,
            ...p
          };
        }
        const fi = first(fc, 'ForInitContext');
        let init: Stmt | null = null;
        if (fi) {
          const lvd = first(fi, 'LocalVariableDeclarationContext');
          if (lvd) init = this.localDecl(lvd);
          else
            init = {
              k: 'exprs',
              es: kids(first(fi, 'ExpressionListContext'))
                .filter((c: any) => cname(c).endsWith('ExpressionContext'))
                .map((e: any) => this.expr(e)),
              ...p
            };
        }
        const condN = kids(fc).find((c: any) => cname(c).endsWith('ExpressionContext'));
        const fu = first(fc, 'ForUpdateContext');
        return {
          k: 'for',
          init,
          cond: condN ? this.expr(condN) : null,
          update: fu
            ? kids(first(fu, 'ExpressionListContext'))
                .filter((c: any) => cname(c).endsWith('ExpressionContext'))
                .map((e: any) => this.expr(e))
            : [],
          body,
          ...p
        };
      }
      case 'SwitchStatementContext': {
        const e = this.expr(kids(n).find((c: any) => cname(c).endsWith('ExpressionContext')));
        const whens = all(n, 'WhenControlContext').map((w: any) => {
          const wv = first(w, 'WhenValueContext');
          const body = this.block(first(w, 'BlockContext'));
          if (hasTok(wv, 'else')) return { kind: 'else', body };
          const tr = first(wv, 'TypeRefContext');
          if (tr)
            return {
              kind: 'type',
              type: this.typeRef(tr),
              name: first(wv, 'IdContext').getText().toLowerCase(),
              body
            };
          const values = all(wv, 'WhenLiteralContext').map((l: any) => this.whenLiteral(l));
          return { kind: 'values', values, body };
        });
        return { k: 'switch', e, whens, ...p };
      }
      case 'TryStatementContext': {
        const catches = all(n, 'CatchClauseContext').map((c: any) => ({
          type: mkType(first(c, 'QualifiedNameContext').getText().split('.'), [], 0),
          name: first(c, 'IdContext').getText().toLowerCase(),
          body: this.block(first(c, 'BlockContext'))
        }));
        const fb = first(n, 'FinallyBlockContext');
        return {
          k: 'try',
          body: this.block(first(n, 'BlockContext')),
          catches,
          fin: fb ? this.block(first(fb, 'BlockContext')) : null,
          ...p
        };
      }
      case 'ReturnStatementContext': {
        const e = kids(n).find((c: any) => cname(c).endsWith('ExpressionContext'));
        return { k: 'return', e: e ? this.expr(e) : null, ...p };
      }
      case 'ThrowStatementContext':
        return { k: 'throw', e: this.expr(kids(n)[1]), ...p };
      case 'BreakStatementContext':
        return { k: 'break', ...p };
      case 'ContinueStatementContext':
        return { k: 'continue', ...p };
      case 'InsertStatementContext':
      case 'UpdateStatementContext':
      case 'DeleteStatementContext':
      case 'UndeleteStatementContext':
      case 'UpsertStatementContext':
      case 'MergeStatementContext': {
        const op = name.replace('StatementContext', '').toLowerCase();
        const al = first(n, 'AccessLevelContext');
        const es = kids(n).filter((c: any) => cname(c).endsWith('ExpressionContext'));
        const qn = first(n, 'QualifiedNameContext');
        if (op === 'merge') this.unsupported('merge statement', n);
        return {
          k: 'dml',
          op,
          e: this.expr(es[0]),
          field: qn ? qn.getText() : null,
          access: al ? (hasTok(al, 'user') ? 'user' : 'system') : null,
          ...p
        };
      }
      case 'RunAsStatementContext': {
        const el = first(n, 'ExpressionListContext');
        return {
          k: 'runas',
          args: el
            ? kids(el)
                .filter((c: any) => cname(c).endsWith('ExpressionContext'))
                .map((e: any) => this.expr(e))
            : [],
          body: this.block(first(n, 'BlockContext')),
          ...p
        };
      }
      default:
        this.unsupported('statement ' + name, n);
    }
  }

  whenLiteral(l: any): any {
    const inner = first(l, 'WhenLiteralContext');
    if (inner) return this.whenLiteral(inner);
    const qn = first(l, 'QualifiedNameContext');
    if (qn) return { enumName: qn.getText().split('.').pop()!.toLowerCase() };
    const t = l.getText();
    if (/^null$/i.test(t)) return { value: null };
    if (t.includes("'"))
      return { value: unescapeApex(t.slice(t.indexOf("'") + 1, t.lastIndexOf("'"))) };
    const neg = (t.match(/-/g) ?? []).length % 2 === 1;
    const digits = t.replace(/[+-]/g, '');
    if (/[lL]$/.test(digits)) {
      const v = BigInt(digits.slice(0, -1));
      return { value: neg ? -v : v };
    }
    return { value: neg ? -Number(digits) : Number(digits) };
  }

  /** `Type x = …;` at the top level of a trigger or anonymous block is a local variable. */
  fieldAsLocal(fd: any): Stmt {
    const p = this.pos(fd);
    this.lines.add(p.line);
    const type = this.typeRef(first(fd, 'TypeRefContext'));
    const decls = all(first(fd, 'VariableDeclaratorsContext'), 'VariableDeclaratorContext').map(
      (vd: any) => {
        const exprN = kids(vd).find((c: any) => cname(c).endsWith('ExpressionContext'));
        return {
          name: first(vd, 'IdContext').getText().toLowerCase(),
          init: exprN ? this.expr(exprN) : null
        };
      }
    );
    return { k: 'local', type, decls, ...p };
  }

  localDecl(n: any): Stmt {
    const type = this.typeRef(first(n, 'TypeRefContext'));
    const decls = all(first(n, 'VariableDeclaratorsContext'), 'VariableDeclaratorContext').map(
      (vd: any) => {
        const exprN = kids(vd).find((c: any) => cname(c).endsWith('ExpressionContext'));
        return {
          name: first(vd, 'IdContext').getText().toLowerCase(),
          init: exprN ? this.expr(exprN) : null
        };
      }
    );
    return { k: 'local', type, decls, ...this.pos(n) };
  }

  // ---------- expressions ----------
  exprList(n: any): Expr[] {
    if (!n) return [];
    return kids(n)
      .filter((c: any) => cname(c).endsWith('ExpressionContext'))
      .map((e: any) => this.expr(e));
  }

  expr(n: any): Expr {
    const p = this.pos(n);
    const name = cname(n);
    const c = kids(n);
    switch (name) {
      case 'PrimaryExpressionContext':
        return this.primary(c[0]);
      case 'SubExpressionContext':
        return this.expr(c[1]);
      case 'DotExpressionContext': {
        const obj = this.expr(c[0]);
        const safe = c[1].getText() === '?.';
        const dm = first(n, 'DotMethodCallContext');
        if (dm) {
          const nm = kids(dm)[0].getText();
          return {
            k: 'call',
            obj,
            name: nm.toLowerCase(),
            oname: nm,
            args: this.exprList(first(dm, 'ExpressionListContext')),
            safe,
            ...p
          };
        }
        const nm = first(n, 'AnyIdContext').getText();
        return { k: 'dot', obj, name: nm.toLowerCase(), oname: nm, safe, ...p };
      }
      case 'ArrayExpressionContext':
        return { k: 'index', obj: this.expr(c[0]), idx: this.expr(c[2]), ...p };
      case 'MethodCallExpressionContext': {
        const mc = c[0];
        const head = kids(mc)[0];
        const args = this.exprList(first(mc, 'ExpressionListContext'));
        const t = head.getText();
        if (isTok(head) && t.toLowerCase() === 'this') return { k: 'thiscall', args, ...p };
        if (isTok(head) && t.toLowerCase() === 'super') return { k: 'supercall', args, ...p };
        return { k: 'call', obj: null, name: t.toLowerCase(), oname: t, args, safe: false, ...p };
      }
      case 'NewExpressionContext':
        return this.creator(first(n, 'CreatorContext'), p);
      case 'CastExpressionContext':
        return {
          k: 'cast',
          type: this.typeRef(first(n, 'TypeRefContext')),
          e: this.expr(c[3]),
          ...p
        };
      case 'PostOpExpressionContext':
        return {
          k: 'incdec',
          pre: false,
          delta: c[1].getText() === '++' ? 1 : -1,
          target: this.expr(c[0]),
          ...p
        };
      case 'PreOpExpressionContext': {
        const op = c[0].getText();
        if (op === '++' || op === '--')
          return {
            k: 'incdec',
            pre: true,
            delta: op === '++' ? 1 : -1,
            target: this.expr(c[1]),
            ...p
          };
        const e = this.expr(c[1]);
        if (op === '-' && e.k === 'lit' && e.numLit) return negateLiteral(e);
        return { k: 'unary', op, e, ...p };
      }
      case 'NegExpressionContext':
        return { k: 'unary', op: c[0].getText(), e: this.expr(c[1]), ...p };
      case 'Arth1ExpressionContext':
      case 'Arth2ExpressionContext':
      case 'BitAndExpressionContext':
      case 'BitNotExpressionContext':
      case 'BitOrExpressionContext':
        return { k: 'bin', op: c[1].getText(), l: this.expr(c[0]), r: this.expr(c[2]), ...p };
      case 'BitExpressionContext': {
        const ops = c
          .filter((x: any) => isTok(x))
          .map((x: any) => x.getText())
          .join('');
        const es = c.filter((x: any) => !isTok(x));
        return { k: 'bin', op: ops, l: this.expr(es[0]), r: this.expr(es[1]), ...p };
      }
      case 'CmpExpressionContext': {
        const ops = c
          .filter((x: any) => isTok(x))
          .map((x: any) => x.getText())
          .join('');
        const es = c.filter((x: any) => !isTok(x));
        return { k: 'bin', op: ops, l: this.expr(es[0]), r: this.expr(es[1]), ...p };
      }
      case 'EqualityExpressionContext':
        return { k: 'bin', op: c[1].getText(), l: this.expr(c[0]), r: this.expr(c[2]), ...p };
      case 'LogAndExpressionContext':
        return { k: 'and', l: this.expr(c[0]), r: this.expr(c[2]), ...p };
      case 'LogOrExpressionContext':
        return { k: 'or', l: this.expr(c[0]), r: this.expr(c[2]), ...p };
      case 'CoalExpressionContext':
        return { k: 'coal', l: this.expr(c[0]), r: this.expr(c[2]), ...p };
      case 'CondExpressionContext':
        return { k: 'cond', cond: this.expr(c[0]), a: this.expr(c[2]), b: this.expr(c[4]), ...p };
      case 'InstanceOfExpressionContext':
        return { k: 'instanceof', e: this.expr(c[0]), type: this.typeRef(c[2]), ...p };
      case 'AssignExpressionContext':
        return {
          k: 'assign',
          op: c[1].getText(),
          target: this.expr(c[0]),
          value: this.expr(c[2]),
          ...p
        };
      default:
        this.unsupported('expression ' + name, n);
    }
  }

  primary(n: any): Expr {
    const p = this.pos(n);
    switch (cname(n)) {
      case 'ThisPrimaryContext':
        return { k: 'this', ...p };
      case 'SuperPrimaryContext':
        return { k: 'super', ...p };
      case 'LiteralPrimaryContext':
        return this.literal(kids(kids(n)[0])[0], p);
      case 'TypeRefPrimaryContext':
        return { k: 'typelit', type: this.typeRef(first(n, 'TypeRefContext')), ...p };
      case 'VoidPrimaryContext':
        return { k: 'typelit', type: mkType(['void'], [], 0), ...p };
      case 'IdPrimaryContext': {
        const t = n.getText();
        return { k: 'id', name: t.toLowerCase(), oname: t, ...p };
      }
      case 'SoqlPrimaryContext':
        return this.soql(first(n, 'SoqlLiteralContext'), p);
      case 'SoslPrimaryContext':
        this.unsupported('SOSL search', n);
      // falls through (unreachable)
      default:
        this.unsupported('primary ' + cname(n), n);
    }
  }

  literal(t: any, p: { line: number; col: number }): Expr {
    const type = t.symbol.type;
    const s = t.getText();
    switch (type) {
      case T_INT: {
        const v = Number(s);
        return { k: 'lit', v, numLit: 'int', raw: s, ...p };
      }
      case T_LONG:
        return { k: 'lit', v: BigInt(s.slice(0, -1)), numLit: 'long', raw: s, ...p };
      case T_NUMBER: {
        if (/[dD]$/.test(s))
          return { k: 'lit', v: Number(s.slice(0, -1)), numLit: 'double', raw: s, ...p };
        return { k: 'lit', v: null, numLit: 'decimal', raw: s, ...p };
      }
      case T_BOOL:
        return { k: 'lit', v: s.toLowerCase() === 'true', ...p };
      case T_STRING:
        return { k: 'lit', v: unescapeApex(s.slice(1, -1)), ...p };
      case T_MLSTRING:
        return { k: 'lit', v: unescapeApex(s.slice(3, -3)), ...p };
      default:
        if (s.toLowerCase() === 'null') return { k: 'lit', v: null, ...p };
        throw new Unsupported('literal ' + s, this.file, p.line);
    }
  }

  creator(cr: any, p: { line: number; col: number }): Expr {
    const cn = first(cr, 'CreatedNameContext');
    const pairs = all(cn, 'IdCreatedNamePairContext');
    const parts: string[] = [];
    let args: TypeRef[] = [];
    for (const pr of pairs) {
      parts.push(kids(pr)[0].getText());
      const tl = first(pr, 'TypeListContext');
      if (tl) args = all(tl, 'TypeRefContext').map((t: any) => this.typeRef(t));
    }
    const rest = kids(cr)[1];
    switch (cname(rest)) {
      case 'NoRestContext':
        return { k: 'newcoll', type: mkType(parts, args, 0), items: [], ...p };
      case 'ClassCreatorRestContext': {
        const el = first(first(rest, 'ArgumentsContext'), 'ExpressionListContext');
        const argEs = el ? kids(el).filter((c: any) => cname(c).endsWith('ExpressionContext')) : [];
        // new Account(Name = 'x', ...) — name=value pairs
        if (
          argEs.length > 0 &&
          argEs.every(
            (a: any) =>
              cname(a) === 'AssignExpressionContext' &&
              kids(a)[1].getText() === '=' &&
              cname(kids(a)[0]) === 'PrimaryExpressionContext'
          )
        ) {
          return {
            k: 'newsobj',
            type: mkType(parts, args, 0),
            pairs: argEs.map((a: any) => ({
              name: kids(a)[0].getText(),
              e: this.expr(kids(a)[2])
            })),
            ...p
          };
        }
        return {
          k: 'new',
          type: mkType(parts, args, 0),
          args: argEs.map((a: any) => this.expr(a)),
          ...p
        };
      }
      case 'ArrayCreatorRestContext': {
        const ai = first(rest, 'ArrayInitializerContext');
        const sizeE = kids(rest).find((c: any) => cname(c).endsWith('ExpressionContext'));
        const type = mkType(['List'], [mkType(parts, args, 0)], 0);
        if (sizeE) return { k: 'newarr', type, size: this.expr(sizeE), ...p };
        return { k: 'newcoll', type, items: ai ? this.exprList(ai) : [], ...p };
      }
      case 'MapCreatorRestContext':
        return {
          k: 'newmap',
          type: mkType(parts, args, 0),
          pairs: all(rest, 'MapCreatorRestPairContext').map((pr: any) => {
            const es = kids(pr).filter((c: any) => cname(c).endsWith('ExpressionContext'));
            return [this.expr(es[0]), this.expr(es[1])];
          }),
          ...p
        };
      case 'SetCreatorRestContext':
        return { k: 'newcoll', type: mkType(parts, args, 0), items: this.exprList(rest), ...p };
      default:
        throw new Unsupported('creator ' + cname(rest), this.file, p.line);
    }
  }

  /** Inline SOQL: keep the text, replace each `:expr` bind by `:bN`. */
  soql(lit: any, p: { line: number; col: number }): Expr {
    const q = first(lit, 'QueryContext');
    const start = q.start.start;
    const binds: Expr[] = [];
    const spans: [number, number][] = [];
    const inlined: number[] = [];
    const visit = (n: any) => {
      if (cname(n) === 'BoundExpressionContext') {
        const pn = cname(n.parentCtx);
        if (pn === 'LimitClauseContext' || pn === 'OffsetClauseContext') inlined.push(binds.length);
        spans.push([n.start.start, n.stop.stop]);
        binds.push(this.expr(kids(n)[1]));
        return;
      }
      for (const c of kids(n)) if (c.children) visit(c);
    };
    visit(q);
    let out = '';
    let cur = start;
    spans.forEach(([s, e], i) => {
      out += this.src.substring(cur, s) + ':b' + i;
      cur = e + 1;
    });
    out += this.src.substring(cur, q.stop.stop + 1);
    const from = first(q, 'FromNameListContext');
    const sel = first(q, 'SelectListContext');
    const isCount =
      !!sel &&
      all(sel, 'SelectEntryContext').length === 1 &&
      /^count\(\)$/i.test(sel.getText().replace(/\s/g, ''));
    return {
      k: 'soql',
      text: out,
      binds,
      inlined,
      from: from ? from.getText().split(',')[0] : '',
      isCount,
      ...p
    };
  }
}

function negateLiteral(e: Expr): Expr {
  if (e.numLit === 'int') return { ...e, v: -e.v, raw: '-' + e.raw };
  if (e.numLit === 'long') return { ...e, v: -e.v, raw: '-' + e.raw };
  if (e.numLit === 'double') return { ...e, v: -e.v, raw: '-' + e.raw };
  return { ...e, raw: '-' + e.raw };
}

export function mkType(parts: string[], args: TypeRef[], dims: number): TypeRef {
  let t: TypeRef = { parts, lname: parts.join('.').toLowerCase(), args, dims: 0 };
  // String[] ≡ List<String>
  for (let i = 0; i < dims; i++) t = { parts: ['List'], lname: 'list', args: [t], dims: 0 };
  return t;
}

export function unescapeApex(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u':
        out += String.fromCharCode(parseInt(s.substr(i + 1, 4), 16));
        i += 4;
        break;
      default:
        out += n;
    }
  }
  return out;
}

class Listener extends ApexErrorListener {
  errors: string[] = [];
  apexSyntaxError(line: number, column: number, msg: string): void {
    this.errors.push(`${line}:${column} ${msg}`);
  }
}

function makeParser(file: string, src: string) {
  const l = new Listener();
  const { parser } = ApexParserFactory.createLexerAndParser(src, l);
  return {
    parser,
    check: () => {
      if (l.errors.length) throw new ApexSyntaxError(`${path.basename(file)}: ${l.errors[0]}`);
    }
  };
}

export function parseClassSource(file: string, src: string): ParsedFile {
  const { parser, check } = makeParser(file, src);
  const cu = parser.compilationUnit();
  check();
  const conv = new Converter(file, src);
  const td = first(cu, 'TypeDeclarationContext');
  const t = conv.typeDecl(td, all(td, 'ModifierContext'));
  return { file, types: [t], lines: [...conv.lines].sort((a, b) => a - b) };
}

export function parseTriggerSource(file: string, src: string): ParsedFile {
  const { parser, check } = makeParser(file, src);
  const tu = parser.triggerUnit();
  check();
  const conv = new Converter(file, src);
  const ids = all(tu, 'IdContext');
  const events = all(tu, 'TriggerCaseContext').map((c: any) =>
    kids(c)
      .map((x: any) => x.getText().toLowerCase())
      .join(' ')
  );
  const tb = first(tu, 'TriggerBlockContext');
  const td = emptyDecl('trigger', ids[0].getText(), file, conv.pos(tu));
  const stmts = blockMembers(
    conv,
    all(tb, 'TriggerBlockMemberContext'),
    'TriggerMemberDeclarationContext',
    td
  );
  td.trigger = {
    object: ids[1].getText(),
    events,
    body: { k: 'block', body: stmts, ...conv.pos(tb) }
  };
  return { file, types: [td], lines: [...conv.lines].sort((a, b) => a - b) };
}

export function parseAnonymousSource(file: string, src: string): ParsedFile {
  const { parser, check } = makeParser(file, src);
  const au = parser.anonymousUnit();
  check();
  const conv = new Converter(file, src);
  const ab = first(au, 'AnonymousBlockContext');
  const td = emptyDecl('class', 'AnonymousBlock', file, { line: 1, col: 1 });
  const stmts = blockMembers(
    conv,
    all(ab, 'AnonymousBlockMemberContext'),
    'AnonymousMemberDeclarationContext',
    td
  );
  // members declared in anonymous apex are static in effect
  for (const f of td.fields) f.isStatic = true;
  for (const m of td.methods) m.isStatic = true;
  td.staticInit.push(...td.instanceInit);
  td.instanceInit = [];
  return {
    file,
    types: [],
    lines: [...conv.lines],
    anon: { body: { k: 'block', body: stmts, line: 1, col: 1 }, decls: td }
  };
}

/**
 * The members of a trigger body or an anonymous block, in order: statements run
 * as written; a top-level `Type x = …;` without modifiers is a local variable,
 * executed in order; anything else (methods, modified fields, inner classes)
 * is declared on `td`.
 */
function blockMembers(conv: Converter, members: any[], declContext: string, td: TypeDecl): Stmt[] {
  const stmts: Stmt[] = [];
  for (const m of members) {
    const st = first(m, 'StatementContext');
    if (st) {
      stmts.push(conv.stmt(st));
      continue;
    }
    const decl = first(m, declContext);
    const fd = first(decl, 'FieldDeclarationContext');
    if (fd && all(m, 'ModifierContext').length === 0) {
      stmts.push(conv.fieldAsLocal(fd));
      continue;
    }
    conv.member(decl, all(m, 'ModifierContext'), td);
  }
  return stmts;
}

function emptyDecl(
  kind: TypeDecl['kind'],
  name: string,
  file: string,
  p: { line: number; col: number }
): TypeDecl {
  return {
    kind,
    name,
    mods: new Set(),
    annos: [],
    ext: null,
    impls: [],
    fields: [],
    methods: [],
    ctors: [],
    staticInit: [],
    instanceInit: [],
    inners: [],
    enumValues: [],
    file,
    ...p
  };
}

// ---------- per-file cache (memory + disk) ----------
const memCache = new Map<string, ParsedFile>();
let converterHash: string | null = null;
const cacheDir = path.resolve(process.cwd(), 'node_modules', '.cache', 'local-org-apex');

function converterVersion(): string {
  if (converterHash === null) {
    let self = '';
    try {
      self = fs.readFileSync(new URL(import.meta.url), 'utf8');
    } catch {
      self = String(Date.now());
    }
    converterHash = createHash('sha1').update(self).digest('hex').slice(0, 12);
  }
  return converterHash;
}

export function parseFileCached(file: string): ParsedFile {
  const src = fs.readFileSync(file, 'utf8');
  const key = createHash('sha1')
    .update(converterVersion())
    .update('\0')
    .update(file)
    .update('\0')
    .update(src)
    .digest('hex');
  const hit = memCache.get(key);
  if (hit) return hit;
  const diskFile = path.join(cacheDir, key + '.bin');
  let pf: ParsedFile | null = null;
  if (process.env.LOCAL_ORG_APEX_NO_CACHE !== '1' && fs.existsSync(diskFile)) {
    try {
      pf = v8.deserialize(fs.readFileSync(diskFile)) as ParsedFile;
    } catch {
      pf = null;
    }
  }
  if (!pf) {
    pf = file.endsWith('.trigger') ? parseTriggerSource(file, src) : parseClassSource(file, src);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(diskFile + '.tmp' + process.pid, v8.serialize(pf));
      fs.renameSync(diskFile + '.tmp' + process.pid, diskFile);
    } catch {
      /* cache is best effort */
    }
  }
  memCache.set(key, pf);
  return pf;
}
