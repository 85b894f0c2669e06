/* eslint-disable @typescript-eslint/no-explicit-any */
/** Method tables of system-class instances (NativeObj), filled by the modules that define them. */
import type { Interp } from './interp.js';
import type { NativeObj } from './values.js';

export const NOPE = Symbol('nope');
export const NATIVE_METHODS: Record<string, (I: Interp, o: NativeObj, n: string, a: any[]) => any> =
  {};
