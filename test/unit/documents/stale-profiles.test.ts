import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeStaleProfiles } from '../../../activities/documents/pdf-renderer';

describe('stale Chromium profile folders', () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-test-'));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  test('when a worker was killed, then its profile folders go and live owners’ and foreign folders stay', async () => {
    // A pid that ran and is gone: a short-lived child's.
    const gone = spawnSync('true').pid;
    const make = (name: string, lockTarget?: string) => {
      fs.mkdirSync(path.join(directory, name));
      if (lockTarget) fs.symlinkSync(lockTarget, path.join(directory, name, 'SingletonLock'));
    };
    make(`envcase-chromium-${gone}-abc123`);
    make(`envcase-chromium-${process.pid}-def456`);
    make('envcase-chromium-Xy12Zq', `somehost-${gone}`);
    make('envcase-chromium-Ab34Cd', `somehost-${process.pid}`);
    make('envcase-chromium-noLock');
    make(`other-app-${gone}-x`);

    expect(await removeStaleProfiles(directory)).toBe(2);
    expect(fs.readdirSync(directory).sort()).toEqual(
      [`envcase-chromium-${process.pid}-def456`, 'envcase-chromium-Ab34Cd', 'envcase-chromium-noLock', `other-app-${gone}-x`].sort(),
    );
  });
});
