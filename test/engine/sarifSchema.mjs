// The essential part of the SARIF 2.1.0 JSON schema (OASIS, sarif-schema-2.1.0.json), for the
// objects a SARIF log of Loss Lens holds, and a validator for that subset of JSON Schema: every
// object's allowed properties (the schema allows no others), its required ones, types, enums and
// minimums. Properties the schema allows but Loss Lens never writes are listed without a type.
// No network: the subset is written out here from the schema's definitions.

/** Each definition: `allowed` (all its property names), `required`, and `props` (the types of those checked). */
const definitions = {
  sarifLog: {
    allowed: '$schema version runs inlineExternalProperties properties',
    required: ['version', 'runs'],
    props: {
      $schema: { type: 'string' },
      version: { enum: ['2.1.0'] },
      runs: { type: 'array', items: { $ref: 'run' } },
      properties: { $ref: 'propertyBag' },
    },
  },
  run: {
    allowed:
      'tool invocations conversion language versionControlProvenance originalUriBaseIds artifacts logicalLocations ' +
      'graphs results automationDetails runAggregates baselineGuid redactionTokens defaultEncoding ' +
      'defaultSourceLanguage newlineSequences columnKind externalPropertyFileReferences threadFlowLocations ' +
      'taxonomies addresses translations policies webRequests webResponses specialLocations properties',
    required: ['tool'],
    props: {
      tool: { $ref: 'tool' },
      invocations: { type: 'array', items: { $ref: 'invocation' } },
      originalUriBaseIds: { type: 'object', values: { $ref: 'artifactLocation' } },
      results: { type: 'array', items: { $ref: 'result' } },
      columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
      properties: { $ref: 'propertyBag' },
    },
  },
  tool: {
    allowed: 'driver extensions properties',
    required: ['driver'],
    props: { driver: { $ref: 'toolComponent' } },
  },
  toolComponent: {
    allowed:
      'guid name organization product productSuite shortDescription fullDescription fullName version ' +
      'semanticVersion dottedQuadFileVersion releaseDateUtc downloadUri informationUri globalMessageStrings ' +
      'notifications rules taxa locations language contents isComprehensive localizedDataSemanticVersion ' +
      'minimumRequiredLocalizedDataSemanticVersion associatedComponent translationMetadata supportedTaxonomies ' +
      'properties',
    required: ['name'],
    props: {
      name: { type: 'string' },
      version: { type: 'string' },
      semanticVersion: { type: 'string' },
      informationUri: { type: 'string' },
      rules: { type: 'array', items: { $ref: 'reportingDescriptor' } },
    },
  },
  reportingDescriptor: {
    allowed:
      'id deprecatedIds guid deprecatedGuids name deprecatedNames shortDescription fullDescription messageStrings ' +
      'defaultConfiguration helpUri help relationships properties',
    required: ['id'],
    props: {
      id: { type: 'string' },
      name: { type: 'string' },
      shortDescription: { $ref: 'multiformatMessageString' },
      fullDescription: { $ref: 'multiformatMessageString' },
      defaultConfiguration: { $ref: 'reportingConfiguration' },
      helpUri: { type: 'string' },
      help: { $ref: 'multiformatMessageString' },
      properties: { $ref: 'propertyBag' },
    },
  },
  reportingConfiguration: {
    allowed: 'enabled level rank parameters properties',
    required: [],
    props: { level: { enum: ['none', 'note', 'warning', 'error'] } },
  },
  multiformatMessageString: {
    allowed: 'text markdown properties',
    required: ['text'],
    props: { text: { type: 'string' }, markdown: { type: 'string' } },
  },
  message: {
    allowed: 'text markdown id arguments properties',
    required: [],
    props: { text: { type: 'string' } },
  },
  result: {
    allowed:
      'ruleId ruleIndex rule kind level message analysisTarget locations guid correlationGuid occurrenceCount ' +
      'partialFingerprints fingerprints stacks codeFlows graphs graphTraversals relatedLocations suppressions ' +
      'baselineState rank attachments hostedViewerUri workItemUris provenance fixes taxa webRequest webResponse ' +
      'properties',
    required: ['message'],
    props: {
      ruleId: { type: 'string' },
      ruleIndex: { type: 'integer', minimum: -1 },
      kind: { enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
      level: { enum: ['none', 'note', 'warning', 'error'] },
      message: { $ref: 'message' },
      locations: { type: 'array', items: { $ref: 'location' } },
      relatedLocations: { type: 'array', items: { $ref: 'location' } },
      fixes: { type: 'array', items: { $ref: 'fix' } },
      properties: { $ref: 'propertyBag' },
    },
  },
  location: {
    allowed: 'id physicalLocation logicalLocations message annotations relationships properties',
    required: [],
    props: {
      id: { type: 'integer', minimum: -1 },
      physicalLocation: { $ref: 'physicalLocation' },
      logicalLocations: { type: 'array', items: { $ref: 'logicalLocation' } },
      message: { $ref: 'message' },
    },
  },
  physicalLocation: {
    allowed: 'address artifactLocation region contextRegion properties',
    required: [],
    props: { artifactLocation: { $ref: 'artifactLocation' }, region: { $ref: 'region' } },
  },
  artifactLocation: {
    allowed: 'uri uriBaseId index description properties',
    required: [],
    props: { uri: { type: 'string', uriReference: true }, uriBaseId: { type: 'string' } },
  },
  region: {
    allowed:
      'startLine startColumn endLine endColumn charOffset charLength byteOffset byteLength snippet message ' +
      'sourceLanguage properties',
    required: [],
    props: {
      startLine: { type: 'integer', minimum: 1 },
      startColumn: { type: 'integer', minimum: 1 },
      endLine: { type: 'integer', minimum: 1 },
      endColumn: { type: 'integer', minimum: 1 },
    },
  },
  logicalLocation: {
    allowed: 'name index fullyQualifiedName decoratedName parentIndex kind properties',
    required: [],
    props: { name: { type: 'string' }, kind: { type: 'string' } },
  },
  invocation: {
    allowed:
      'commandLine arguments responseFiles startTimeUtc endTimeUtc exitCode ruleConfigurationOverrides ' +
      'notificationConfigurationOverrides toolExecutionNotifications toolConfigurationNotifications ' +
      'exitCodeDescription exitSignalName exitSignalNumber processStartFailureMessage executionSuccessful machine ' +
      'account processId executableLocation workingDirectory environmentVariables stdin stdout stderr ' +
      'stdoutStderr properties',
    required: ['executionSuccessful'],
    props: {
      exitCode: { type: 'integer' },
      executionSuccessful: { type: 'boolean' },
      toolExecutionNotifications: { type: 'array', items: { $ref: 'notification' } },
    },
  },
  notification: {
    allowed: 'locations message level threadId timeUtc exception descriptor associatedRule properties',
    required: ['message'],
    props: {
      locations: { type: 'array', items: { $ref: 'location' } },
      message: { $ref: 'message' },
      level: { enum: ['none', 'note', 'warning', 'error'] },
      descriptor: { $ref: 'reportingDescriptorReference' },
    },
  },
  reportingDescriptorReference: {
    allowed: 'id index guid toolComponent properties',
    required: [],
    props: { id: { type: 'string' }, index: { type: 'integer', minimum: -1 } },
  },
  fix: {
    allowed: 'description artifactChanges properties',
    required: ['artifactChanges'],
    props: { description: { $ref: 'message' }, artifactChanges: { type: 'array', items: { $ref: 'artifactChange' } } },
  },
  artifactChange: {
    allowed: 'artifactLocation replacements properties',
    required: ['artifactLocation', 'replacements'],
    props: {
      artifactLocation: { $ref: 'artifactLocation' },
      replacements: { type: 'array', minItems: 1, items: { $ref: 'replacement' } },
    },
  },
  replacement: {
    allowed: 'deletedRegion insertedContent properties',
    required: ['deletedRegion'],
    props: { deletedRegion: { $ref: 'region' }, insertedContent: { $ref: 'artifactContent' } },
  },
  artifactContent: {
    allowed: 'text binary rendered properties',
    required: [],
    props: { text: { type: 'string' } },
  },
  // A property bag takes any properties; `tags`, when present, is a list of unique strings.
  propertyBag: { open: true, props: { tags: { type: 'array', unique: true, items: { type: 'string' } } } },
};

const typeOf = (value) =>
  Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value === 'number'
          ? 'number'
          : typeof value;

/** RFC 3986 URI reference: no spaces, backslashes or other characters that must be percent-encoded. */
const URI_REFERENCE = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/** The errors of `value` against `schema` (a subset of JSON Schema), each with its JSON path. */
export function schemaErrors(value, schema = { $ref: 'sarifLog' }, path = '$') {
  if (schema.$ref) return objectErrors(value, definitions[schema.$ref], path);
  const errors = [];
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in ${schema.enum}`);
  if (schema.type && typeOf(value) !== schema.type) return [...errors, `${path}: ${typeOf(value)}, not ${schema.type}`];
  if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: ${value} < ${schema.minimum}`);
  if (schema.uriReference && !URI_REFERENCE.test(value)) errors.push(`${path}: not a URI reference: ${value}`);
  if (schema.type === 'array') {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: too few items`);
    if (schema.unique && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      errors.push(`${path}: items not unique`);
    value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items ?? {}, `${path}[${i}]`)));
  }
  if (schema.values)
    for (const [key, item] of Object.entries(value))
      errors.push(...schemaErrors(item, schema.values, `${path}.${key}`));
  return errors;
}

function objectErrors(value, definition, path) {
  if (typeOf(value) !== 'object') return [`${path}: ${typeOf(value)}, not an object`];
  const errors = [];
  const allowed = definition.open ? undefined : new Set(definition.allowed.split(' '));
  for (const key of definition.required ?? []) if (!(key in value)) errors.push(`${path}: ${key} is required`);
  for (const [key, item] of Object.entries(value)) {
    if (allowed && !allowed.has(key)) errors.push(`${path}: ${key} is not a property of this object`);
    const schema = definition.props?.[key];
    if (schema) errors.push(...schemaErrors(item, schema, `${path}.${key}`));
  }
  return errors;
}
