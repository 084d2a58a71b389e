import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';

/** The published event contracts: `npm run contracts` writes them from the functions' zod schemas (a test checks they are current). */
export const EVENT_SCHEMA_DIR = join(import.meta.dirname, '..', '..', 'docs', 'events');

/**
 * The province's EventBridge schema registry, holding one schema per domain event: the JSON
 * Schemas in docs/events/, which are generated from the same zod contracts the functions publish
 * with. The stack reads the published files, so the CDK app never imports runtime code.
 */
export class EventSchemas extends Construct {
  readonly registry: CfnRegistry;

  constructor(scope: Construct, id: string, props: { description: string; schemaDir?: string }) {
    super(scope, id);
    this.registry = new CfnRegistry(this, 'Registry', { description: props.description });
    const dir = props.schemaDir ?? EVENT_SCHEMA_DIR;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { title: string; description: string };
      new CfnSchema(this, schema.title.replace(/[^A-Za-z0-9]/g, ''), {
        registryName: this.registry.attrRegistryName,
        schemaName: schema.title,
        type: 'JSONSchemaDraft4',
        description: schema.description,
        content: JSON.stringify(schema),
      });
    }
  }
}
