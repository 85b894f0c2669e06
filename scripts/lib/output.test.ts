import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { CliError, runCommand } from './output.ts';

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      stream.text += chunk.toString();
      done();
    }
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

describe('runCommand', () => {
  it('prints one JSON document with the result and returns the exit code', async () => {
    const out = sink();
    const code = await runCommand(
      true,
      async (o) => {
        const value = await o.step('working', async () => 41 + 1);
        return { result: { value }, human: 'ignored in JSON mode', exitCode: 1 };
      },
      out
    );
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(out.text), { status: 1, result: { value: 42 } });
  });

  it('reports a CliError with its name, message, action and data in JSON mode', async () => {
    const out = sink();
    const code = await runCommand(
      true,
      async () => {
        throw new CliError('ProductionNotValidated', 'not validated in a sandbox', {
          action: 'validate first',
          exitCode: 3,
          data: { hash: 'abc' }
        });
      },
      out
    );
    assert.equal(code, 3);
    assert.deepEqual(JSON.parse(out.text), {
      status: 3,
      name: 'ProductionNotValidated',
      message: 'not validated in a sandbox',
      action: 'validate first',
      data: { hash: 'abc' }
    });
  });

  it('turns unexpected errors into exit code 1 with the underlying message', async () => {
    const out = sink();
    const code = await runCommand(
      true,
      async () => {
        throw new TypeError('boom');
      },
      out
    );
    assert.equal(code, 1);
    const doc = JSON.parse(out.text) as { name: string; message: string };
    assert.equal(doc.name, 'TypeError');
    assert.equal(doc.message, 'boom');
  });

  it('prints the human report on stdout in human mode', async () => {
    const out = sink();
    const code = await runCommand(false, async () => ({ result: {}, human: 'All good.' }), out);
    assert.equal(code, 0);
    assert.equal(out.text, 'All good.\n');
  });
});
