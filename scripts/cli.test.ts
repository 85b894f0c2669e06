import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProgram } from './cli.ts';

describe('coconut CLI', () => {
  const program = buildProgram();
  const names = program.commands.map((c) => c.name());

  it('has one subcommand per npm script', () => {
    assert.deepEqual(names.sort(), [
      'backup',
      'connect',
      'deploy',
      'embed',
      'org:scratch',
      'preflight',
      'restore',
      'unembed'
    ]);
  });

  for (const command of program.commands) {
    it(`${command.name()} takes --target-org and --json`, () => {
      const flags = command.options.map((o) => o.long);
      assert.ok(flags.includes('--target-org'), `${command.name()} has --target-org`);
      assert.ok(flags.includes('--json'), `${command.name()} has --json`);
      assert.ok(command.description().length > 20, 'says what it does');
    });
  }

  it('embed and unembed offer --dry-run; restore offers --yes; deploy offers the sandbox override with a reason', () => {
    const flagsOf = (name: string) =>
      program.commands.find((c) => c.name() === name)?.options.map((o) => o.long) ?? [];
    assert.ok(flagsOf('embed').includes('--dry-run'));
    assert.ok(flagsOf('unembed').includes('--dry-run'));
    assert.ok(flagsOf('restore').includes('--yes'));
    assert.ok(flagsOf('deploy').includes('--skip-sandbox-check'));
    assert.ok(flagsOf('deploy').includes('--reason'));
  });
});
