/** Setup file: after each test file, the temporary folders its tests made with tempDir() are removed. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './cli.ts';

afterAll(() => removeTempDirs());
