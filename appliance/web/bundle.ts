import path from 'node:path';
import * as esbuild from 'esbuild';

const ENTRY = path.join(import.meta.dirname, 'src', 'main.ts');

export interface WebAsset {
  contentType: string;
  body: Uint8Array;
}

export interface WebClientBundle {
  /** By file name under /assets/; the names carry a content hash, so they can be cached for good. */
  assets: Map<string, WebAsset>;
  script: string;
  style: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Bundles the web client in memory when the appliance starts (about a tenth of a second): the
 * appliance serves exactly the sources it runs with, and an air-gapped box needs no build step
 * or output folder of its own.
 */
export async function bundleWebClient(): Promise<WebClientBundle> {
  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      outdir: path.join(import.meta.dirname, 'assets'),
      entryNames: 'client-[hash]',
      format: 'esm',
      platform: 'browser',
      target: ['chrome111', 'firefox115', 'safari16'],
      minify: true,
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'silent',
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const details = failure.errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('\n');
    throw new Error(`the web client does not build:\n${details ?? String(error)}`);
  }
  const assets = new Map<string, WebAsset>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    assets.set(name, { contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', body: file.contents });
  }
  const named = (ext: string) => [...assets.keys()].find((name) => name.endsWith(ext))!;
  return { assets, script: named('.js'), style: named('.css') };
}
