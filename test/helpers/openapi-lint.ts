/** Lints an OpenAPI document as Redocly CLI (recommended) and Spectral (the OpenAPI ruleset, recommended) do; answers every finding, warnings included. */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

// Both Spectral packages are CommonJS; under NodeNext their exports arrive on the default export.
const { Spectral, Document } = spectralCore;
const { Json } = spectralParsers;

export async function redoclyFindings(source: string, name: string): Promise<string[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const found = await lintFromString({ source, absoluteRef: name, config });
  return found.map((p) => `redocly ${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
}

export async function spectralFindings(source: string, name: string): Promise<string[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
  const found = await spectral.run(new Document(source, Json, name));
  return found.map((r) => `spectral ${r.severity} ${r.code}: ${r.message} at ${r.path.join('.')}`);
}
