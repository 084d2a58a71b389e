import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { eventContracts, eventJsonSchema, schemaName } from '../../functions/contracts/event-schemas.js';

/**
 * The province's EventBridge schema registry, holding one schema per domain event, generated
 * from the same zod contracts the functions publish with (docs/events/ has the same files).
 */
export class EventSchemas extends Construct {
  readonly registry: CfnRegistry;

  constructor(scope: Construct, id: string, props: { description: string }) {
    super(scope, id);
    this.registry = new CfnRegistry(this, 'Registry', { description: props.description });
    for (const contract of eventContracts) {
      new CfnSchema(this, schemaName(contract).replace(/[^A-Za-z0-9]/g, ''), {
        registryName: this.registry.attrRegistryName,
        schemaName: schemaName(contract),
        type: 'JSONSchemaDraft4',
        description: contract.description,
        content: JSON.stringify(eventJsonSchema(contract)),
      });
    }
  }
}
