/**
 * Worker thread for `test:apex`: runs the whole test suite against one org shape
 * so that shapes (with / without Person Accounts) use both cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadProject } from './project.js';
import { runTests } from './runner.js';

const { project, shape, classes } = workerData as {
  project: string;
  shape: string;
  classes?: string[];
};
const I = await loadProject(project, { personAccounts: shape === 'person-accounts' });
const res = runTests(I, { classes });
parentPort!.postMessage({ res, cov: [...I.cov].map(([file, lines]) => [file, [...lines]]) });
