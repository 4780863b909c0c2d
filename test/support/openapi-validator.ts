import { spawn } from 'node:child_process';
import path from 'node:path';

export interface OpenApiValidation {
  valid: boolean;
  errors?: unknown;
}

/**
 * Validates an OpenAPI document with @seriousme/openapi-schema-validator (the OpenAPI 3.1
 * meta-schema). The package is ESM only and Jest's CommonJS runtime cannot load it, so a
 * plain Node process does the check and answers on stdout.
 */
export function validateOpenApiDocument(document: object): Promise<OpenApiValidation> {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`OpenAPI validator exited with ${code}: ${stderr}`));
      resolve(JSON.parse(stdout) as OpenApiValidation);
    });
    child.stdin.end(JSON.stringify(document));
  });
}
