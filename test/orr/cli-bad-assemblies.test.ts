import { BAD_ASSEMBLIES, HandAssembly, spoiled } from './fixtures/bad-assemblies';
import { captureIo } from './support';
import { EXIT_GATE, EXIT_OK, EXIT_USAGE, USAGE, runCli } from '../../src/cli/cli';
import { ReadinessReport } from '../../src/orr/model';

/** `cdk-operable orr <dir> --format json`: the exit code and what it wrote. */
function review(dir: string): { code: number; stdout: string; stderr: string } {
  const captured = captureIo();
  const code = runCli(['orr', dir, '--format', 'json'], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('cdk-operable orr on a bad assembly: exit 2, the error names the file and what is wrong, no report', () => {
  test.each(BAD_ASSEMBLIES.map((bad) => [bad.name, bad]))('%s', (_name, bad) => {
    const a = spoiled(bad);
    const run = review(a.dir);
    expect(run).toEqual({ code: EXIT_USAGE, stdout: '', stderr: `cdk-operable: ${bad.message(a)}\n` });
    expect(run.stderr).not.toContain(USAGE);
  });

  test('the same assembly unspoiled is reviewed: its report on stdout, the gate decides the exit code', () => {
    const run = review(new HandAssembly().write());
    expect([EXIT_OK, EXIT_GATE]).toContain(run.code);
    expect((JSON.parse(run.stdout) as ReadinessReport).stacks).toEqual(['Queues']);
    expect(run.stderr).not.toContain('cdk-operable: ');
  });
});
