import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isEnumType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  GraphQLType,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationRule,
  ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../pagination';

/** Checked before anything runs; each is measured as described below (`GRAPHQL_MAX_*`, read by src/config.ts). */
export interface GraphQLLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
}

/** The environment variable that sets each limit; rejections name it so an operator knows what to raise. */
export const LIMIT_VARIABLES = {
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxCost: 'GRAPHQL_MAX_COST',
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxDirectives: 'GRAPHQL_MAX_DIRECTIVES',
} as const satisfies Record<keyof GraphQLLimits, string>;

const LIMIT_NOUNS: Record<keyof GraphQLLimits, string> = {
  maxDepth: 'Query depth',
  maxAliases: 'Alias count',
  maxCost: 'Query cost',
  maxTokens: 'Token count',
  maxDirectives: 'Directive count',
};

/** Extensions of a limit rejection; the GraphQL edge answers them as `BAD_USER_INPUT` (errors.ts). */
export interface LimitExtensions {
  readonly reason: 'QUERY_LIMIT_EXCEEDED';
  readonly limit: (typeof LIMIT_VARIABLES)[keyof GraphQLLimits];
}

/** E.g. "Query depth 12 exceeds the limit of 8 (GRAPHQL_MAX_DEPTH)"; `found` is unknown when parsing stopped at the limit. */
export function limitMessage(which: keyof GraphQLLimits, max: number, found?: number): string {
  return `${LIMIT_NOUNS[which]}${found === undefined ? '' : ` ${found}`} exceeds the limit of ${max} (${LIMIT_VARIABLES[which]})`;
}

export function limitExtensions(which: keyof GraphQLLimits): LimitExtensions {
  return { reason: 'QUERY_LIMIT_EXCEEDED', limit: LIMIT_VARIABLES[which] };
}

interface Measure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

const ZERO: Measure = Object.freeze({ depth: 0, aliases: 0, directives: 0, cost: 0 });

/** What measuring needs of a document: its schema and its fragments. */
interface Source {
  readonly schema: GraphQLSchema;
  fragment(name: string): FragmentDefinitionNode | undefined;
}

/** The values of an operation's variables, as the request gives them. */
type VariableValues = Readonly<Record<string, unknown>>;

/**
 * A validation rule that measures each operation, with its fragments expanded,
 * and reports every limit it exceeds. Each fragment is measured once per
 * operation, so a document that spreads fragments into fragments costs this
 * rule time in proportion to its length, not to its expansion.
 *
 * Validation sees the document only (Apollo keeps a validated document for
 * every request that sends it again), so here a page size given by a variable
 * counts as the smallest page it can ask for; `queryCostPlugin` then costs each
 * request with its own variables.
 */
export function queryLimitsRule(limits: GraphQLLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const schema = context.getSchema();
      const rootType = schema.getRootType(operation.operation);
      if (!rootType) return;
      const source: Source = { schema, fragment: (name) => context.getFragment(name) ?? undefined };
      const measured = new Measurer(source, operation, null).selectionSet(operation.selectionSet, rootType);
      const found: Record<Exclude<keyof GraphQLLimits, 'maxTokens'>, number> = {
        maxDepth: measured.depth,
        maxAliases: measured.aliases,
        maxCost: Math.ceil(measured.cost),
        maxDirectives: measured.directives,
      };
      for (const which of Object.keys(found) as Array<keyof typeof found>) {
        if (found[which] > limits[which]) {
          context.reportError(
            new GraphQLError(limitMessage(which, limits[which], found[which]), { nodes: operation, extensions: { ...limitExtensions(which) } }),
          );
        }
      }
    },
  });
}

/**
 * Costs each request with its variables' values, before it is executed (or
 * authenticated): `first: $n` costs the page `$n` asks for, not the smaller one
 * the operation may declare as `$n`'s default. Refused like any limit: HTTP 400,
 * `BAD_USER_INPUT` naming `GRAPHQL_MAX_COST` (errors.ts).
 */
export function queryCostPlugin(limits: GraphQLLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // Without variables the validation rule's measure was already exact.
          if (!operation?.variableDefinitions?.length) return;
          const rootType = schema.getRootType(operation.operation);
          if (!rootType) return;
          const measured = new Measurer(documentSource(schema, document), operation, request.variables ?? {}).selectionSet(operation.selectionSet, rootType);
          const cost = Math.ceil(measured.cost);
          if (cost > limits.maxCost) {
            throw new GraphQLError(limitMessage('maxCost', limits.maxCost, cost), {
              nodes: operation,
              extensions: { ...limitExtensions('maxCost'), http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

function documentSource(schema: GraphQLSchema, document: DocumentNode): Source {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return { schema, fragment: (name) => fragments.get(name) };
}

/** The page a `first` of `size` gets, by the service's rule: 0 or more than a page means a full page. */
const pageOf = (size: number): number => (size <= 0 || size > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : size);

class Measurer {
  private readonly fragments = new Map<string, Measure | 'measuring'>();

  constructor(
    private readonly source: Source,
    private readonly operation: OperationDefinitionNode,
    /** `null` while only the document is known (validation): a variable then counts as its smallest page. */
    private readonly variables: VariableValues | null,
  ) {}

  /** `unwrapped`: how many `ofType` fields this selection set is nested in, in a row. */
  selectionSet(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, unwrapped = 0): Measure {
    const total = { ...ZERO };
    for (const selection of selectionSet.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) part = this.field(selection, parentType, unwrapped);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition = selection.typeCondition ? this.source.schema.getType(selection.typeCondition.name.value) : parentType;
        part = isCompositeType(typeCondition) ? this.selectionSet(selection.selectionSet, typeCondition, unwrapped) : ZERO;
      } else part = this.fragment(selection.name.value);
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
      // A field counts its own directives; a fragment's spread or inline fragment is counted here.
      total.directives += part.directives + (selection.kind === Kind.FIELD ? 0 : countDirectives(selection.directives));
    }
    return total;
  }

  private fragment(name: string): Measure {
    const known = this.fragments.get(name);
    // A cycle is reported by graphql-js's NoFragmentCyclesRule; here it only must not loop.
    if (known === 'measuring') return ZERO;
    if (known) return known;
    const definition = this.source.fragment(name);
    const typeCondition = definition ? this.source.schema.getType(definition.typeCondition.name.value) : undefined;
    if (!definition || !isCompositeType(typeCondition)) return ZERO;
    this.fragments.set(name, 'measuring');
    const measured = this.selectionSet(definition.selectionSet, typeCondition);
    measured.directives += countDirectives(definition.directives);
    this.fragments.set(name, measured);
    return measured;
  }

  private field(node: FieldNode, parentType: GraphQLCompositeType, unwrapped: number): Measure {
    const definition = fieldDefinition(this.source.schema, parentType, node.name.value);
    const own = { depth: 1, aliases: node.alias ? 1 : 0, directives: countDirectives(node.directives), cost: 1 };
    const childType = definition ? getNamedType(definition.type) : undefined;
    if (!node.selectionSet || !isCompositeType(childType)) return own;
    // `ofType` unwraps a NON_NULL or LIST wrapper: the chain is as long as the schema's wrapping, and no deeper.
    const ofType = parentType.name === '__Type' && node.name.value === 'ofType';
    const level = ofType ? unwrapped + 1 : 0;
    const children = this.selectionSet(node.selectionSet, childType, level);
    // Past the schema's deepest wrapping an `ofType` is null: its selection never runs.
    const runs = ofType && level > deepestWrapping(this.source.schema) ? 0 : this.multiplier(node, definition!, parentType);
    return {
      depth: (ofType ? 0 : 1) + children.depth,
      aliases: own.aliases + children.aliases,
      directives: own.directives + children.directives,
      cost: 1 + runs * children.cost,
    };
  }

  /**
   * How many times a field's selection runs. A paginated field (one with a
   * `first` argument) runs it once per item of the page; an introspection list
   * once per entry such a list holds on average in this schema. Other lists (a
   * connection's `nodes` and `edges`) were already counted by their page.
   */
  private multiplier(node: FieldNode, definition: GraphQLField<unknown, unknown>, parentType: GraphQLCompositeType): number {
    if (definition.args.some((arg) => arg.name === 'first')) {
      return this.pageSize(node.arguments?.find((arg) => arg.name.value === 'first')?.value);
    }
    if (parentType.name.startsWith('__') && isListType(getNullableType(definition.type))) {
      return introspectionListSize(this.source.schema, node.name.value);
    }
    return 1;
  }

  /** The page a `first` argument asks for (left out: the argument's default, a full page). */
  private pageSize(value: ValueNode | undefined): number {
    if (value?.kind === Kind.VARIABLE) return this.variablePageSize(value.name.value);
    return value?.kind === Kind.INT ? pageOf(Number(value.value)) : MAX_PAGE_SIZE;
  }

  /**
   * The page a variable asks for: the request's value; without one, the
   * variable's declared default; without that, the argument's (a full page).
   * Anything but an integer will fail coercion, and counts as a full page meanwhile.
   */
  private variablePageSize(name: string): number {
    if (this.variables === null) return 1;
    if (Object.hasOwn(this.variables, name)) {
      const value = this.variables[name];
      return typeof value === 'number' && Number.isInteger(value) ? pageOf(value) : MAX_PAGE_SIZE;
    }
    const declared = this.operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    return declared?.kind === Kind.INT ? pageOf(Number(declared.value)) : MAX_PAGE_SIZE;
  }
}

function countDirectives(directives: readonly DirectiveNode[] | undefined): number {
  return directives?.length ?? 0;
}

function fieldDefinition(schema: GraphQLSchema, parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parentType === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (isObjectType(parentType) || isInterfaceType(parentType)) return parentType.getFields()[name];
  return undefined;
}

const wrappings = new WeakMap<GraphQLSchema, number>();

/** The most LIST and NON_NULL wrappers around one type in this schema (`[String!]!`: 3), computed once per schema. */
function deepestWrapping(schema: GraphQLSchema): number {
  let deepest = wrappings.get(schema);
  if (deepest === undefined) {
    const depthOf = (type: GraphQLType): number => ('ofType' in type && type.ofType ? 1 + depthOf(type.ofType as GraphQLType) : 0);
    const typed: GraphQLType[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isObjectType(type) || isInterfaceType(type)) for (const f of Object.values(type.getFields())) typed.push(f.type, ...f.args.map((a) => a.type));
      if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) typed.push(f.type);
    }
    for (const directive of schema.getDirectives()) typed.push(...directive.args.map((a) => a.type));
    deepest = typed.reduce((max, type) => Math.max(max, depthOf(type)), 0);
    wrappings.set(schema, deepest);
  }
  return deepest;
}

const introspectionSizes = new WeakMap<GraphQLSchema, ReadonlyMap<string, number>>();

/**
 * How many entries each introspection list holds on average in this schema
 * (computed once per schema). Averages over every type make the estimate of
 * `types { fields { … } }` exact at the first level; deeper levels stay an
 * estimate, held in check by the depth limit and graphql-js's own
 * introspection-depth rule.
 */
function introspectionListSize(schema: GraphQLSchema, fieldName: string): number {
  let sizes = introspectionSizes.get(schema);
  if (!sizes) {
    const types = Object.values(schema.getTypeMap());
    const directives = schema.getDirectives();
    const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : []));
    const perType = (count: (type: (typeof types)[number]) => number) => types.reduce((sum, t) => sum + count(t), 0) / types.length;
    const withArgs = [...fields, ...directives];
    sizes = new Map([
      ['types', types.length],
      ['directives', directives.length],
      ['fields', fields.length / types.length],
      ['inputFields', perType((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0))],
      ['enumValues', perType((t) => (isEnumType(t) ? t.getValues().length : 0))],
      ['interfaces', perType((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0))],
      ['possibleTypes', perType((t) => (isUnionType(t) ? t.getTypes().length : isInterfaceType(t) ? schema.getPossibleTypes(t).length : 0))],
      ['args', withArgs.reduce((sum, f) => sum + f.args.length, 0) / Math.max(1, withArgs.length)],
    ]);
    introspectionSizes.set(schema, sizes);
  }
  return sizes.get(fieldName) ?? 1;
}
